import type { IcebergTableUpdate, UpdateTableCommandInput } from "@aws-sdk/client-glue";
import { IcebergLayout } from "./iceberg-layout";
import { LayoutChange } from "./layout-planner";
import { LiveTable } from "./live-table";
import { namedError } from "../../tables/named-error";

/**
 * The Glue UpdateTable request that applies planned partition spec and sort order changes to an Iceberg
 * table: `UpdateOpenTableFormatInput.UpdateIcebergInput.UpdateIcebergTableInput.Updates[]`, one update
 * per Iceberg action (add-spec, set-default-spec, add-sort-order, set-default-sort-order), each with the
 * table's current schema and location (the API requires both and nothing here changes them), in one
 * request, so Glue commits them together. `VersionId` is the Glue table version the plan was read at:
 * Glue's optimistic lock, as Iceberg's own GlueCatalog uses it, so a commit made in between (a Spark job)
 * fails the update instead of being planned over. Pure.
 */

/** A plan that cannot be sent as it is (a bug or a stale plan, never user input). */
const unsendable = (message: string) => namedError("GlueIcebergUpdateError", message);

function schemaOf(layout: IcebergLayout): IcebergTableUpdate["Schema"] {
  return {
    SchemaId: layout.schemaId,
    Type: "struct",
    Fields: layout.fields.map((f) => ({
      Id: f.id,
      Name: f.name,
      // Iceberg's own JSON of the type (a string or a nested object), sent as the document it is.
      Type: f.type as never,
      Required: f.required,
      ...(f.doc === undefined ? {} : { Doc: f.doc }),
    })),
    ...(layout.identifierFieldIds.length > 0 ? { IdentifierFieldIds: [...layout.identifierFieldIds] } : {}),
  };
}

function sourceId(id: number | undefined, what: string): number {
  if (id === undefined) {
    throw unsendable(`${what} has no source field id yet: re-read the table after its columns are added`);
  }
  return id;
}

/**
 * A field id keeps its source and transform for the life of the table: a planned field under an id an
 * earlier spec used for something else would present a new field as an old one changed in place.
 */
function checkFieldIds(
  layout: IcebergLayout,
  change: Extract<LayoutChange, { kind: "partition-spec" }>,
): void {
  for (const field of change.spec?.fields ?? []) {
    const earlier = layout.specs.flatMap((s) => s.fields).find((f) => f.fieldId === field.fieldId);
    if (
      earlier !== undefined &&
      (earlier.sourceId !== field.sourceId || earlier.transform !== field.transform)
    ) {
      throw unsendable(
        `partition field ${field.fieldId} is ${earlier.transform} of source ${earlier.sourceId}; ${field.transform} of source ${String(field.sourceId)} is a new field and needs a new id`,
      );
    }
  }
}

/** Iceberg's add action (unless the spec or order exists already), then its set-default action. */
function addThenSetDefault(
  layout: IcebergLayout,
  exists: boolean,
  actions: readonly ["add-spec", "set-default-spec"] | readonly ["add-sort-order", "set-default-sort-order"],
  payload: Pick<IcebergTableUpdate, "PartitionSpec" | "SortOrder">,
): IcebergTableUpdate[] {
  const common = { Location: layout.location, Schema: schemaOf(layout), ...payload };
  return [...(exists ? [] : [{ ...common, Action: actions[0] }]), { ...common, Action: actions[1] }];
}

function updatesFor(layout: IcebergLayout, change: LayoutChange): IcebergTableUpdate[] {
  if (change.kind === "partition-spec") {
    if (change.spec === undefined) {
      throw unsendable(`${change.summary} was planned without the table's Iceberg metadata`);
    }
    checkFieldIds(layout, change);
    const spec = {
      SpecId: change.spec.specId,
      Fields: change.spec.fields.map((f) => ({
        SourceId: sourceId(f.sourceId, `partition field ${f.name}`),
        Transform: f.transform,
        Name: f.name,
        FieldId: f.fieldId,
      })),
    };
    return addThenSetDefault(layout, change.spec.exists, ["add-spec", "set-default-spec"], {
      PartitionSpec: spec,
    });
  }
  if (change.order === undefined) {
    throw unsendable(`${change.summary} was planned without the table's Iceberg metadata`);
  }
  const order = {
    OrderId: change.order.orderId,
    Fields: change.order.fields.map((f, i) => ({
      SourceId: sourceId(f.sourceId, `sort field ${i}`),
      Transform: f.transform,
      Direction: f.direction,
      NullOrder: f.nullOrder,
    })),
  };
  return addThenSetDefault(layout, change.order.exists, ["add-sort-order", "set-default-sort-order"], {
    SortOrder: order,
  });
}

/** The request for `changes`, planned from `live` (its layout and Glue version). */
export function glueIcebergUpdateRequest(
  live: LiveTable,
  changes: readonly LayoutChange[],
): UpdateTableCommandInput {
  const layout = live.layout;
  if (layout === undefined) {
    throw unsendable(`${live.database}.${live.name}: no Iceberg metadata was read for the plan`);
  }
  return {
    DatabaseName: live.database,
    Name: live.name,
    ...(live.catalogVersionId === undefined ? {} : { VersionId: live.catalogVersionId }),
    UpdateOpenTableFormatInput: {
      UpdateIcebergInput: {
        UpdateIcebergTableInput: { Updates: changes.flatMap((change) => updatesFor(layout, change)) },
      },
    },
  };
}

/** `add-spec, set-default-spec`: the actions of a request, for logs and previews. */
export function updateActions(request: UpdateTableCommandInput): string[] {
  const updates =
    request.UpdateOpenTableFormatInput?.UpdateIcebergInput?.UpdateIcebergTableInput?.Updates ?? [];
  return updates.map((u) => u.Action ?? "(no action)");
}
