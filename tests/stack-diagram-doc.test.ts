import { expect } from "chai";
import * as fs from "fs";
import { renderPlanDiagram } from "../offline/plan-diagram";
import { ResourceRecord } from "../offline/resource-graph";
import { renderStackDiagramDoc, stackDiagramFile } from "../offline/stack-diagram-doc";
import { offlinePlanLines } from "../scripts/offline-plan";
import { stackGraph } from "./helpers/graph";

function record(urn: string, type: string, parent?: string, dependencies: string[] = []): ResourceRecord {
  return {
    urn,
    type,
    name: urn,
    custom: type.startsWith("aws:"),
    ...(parent === undefined ? {} : { parent }),
    inputs: {},
    protect: false,
    retainOnDelete: false,
    deleteBeforeReplace: false,
    dependencies,
    propertyDependencies: {},
    outputs: {},
  };
}

describe("offline plan and stack diagram (demo step 1)", () => {
  for (const stack of ["dev", "prod"]) {
    it(`docs/${stack}-stack.md is exactly what the generator produces for ${stack} (re-run the demo after a change)`, async () => {
      const committed = fs.readFileSync(stackDiagramFile(stack), "utf8");
      expect(committed).to.equal(renderStackDiagramDoc(stack, await stackGraph(stack)));
    });
  }

  it("draws one node per top-level component and an edge per use across components, none into the key", () => {
    const records = [
      record("root", "lakehouse:index:Lakehouse"),
      record("key", "lakehouse:security:LakehouseKey", "root"),
      record("key-kms", "aws:kms/key:Key", "key"),
      record("data", "lakehouse:storage:LakehouseBucket", "root"),
      record("data-bucket", "aws:s3/bucket:Bucket", "data", ["key-kms"]),
      record("job", "lakehouse:etl:GlueEtlJob", "root"),
      record("job-role", "aws:iam/role:Role", "job", ["data-bucket", "key-kms"]),
      record("job-glue", "aws:glue/job:Job", "job", ["job-role", "data-bucket"]),
    ];
    expect(renderPlanDiagram(records)).to.equal(
      [
        "flowchart LR",
        '  c0["LakehouseKey<br/>key<br/>(encrypts everything)"]',
        '  c1["LakehouseBucket<br/>data"]',
        '  c2["GlueEtlJob<br/>job"]',
        "  c2 --> c1",
      ].join("\n"),
    );
  });

  it("prints the dev plan with its header, the tree grouped by component, and the counts", async () => {
    const lines = offlinePlanLines("dev", "eu-west-1", await stackGraph("dev"));
    expect(lines.slice(0, 3)).to.deep.equal([
      'Offline plan of stack "dev" (eu-west-1): the program run under mocks; nothing is deployed.',
      "└─ Lakehouse lakehouse",
      "   ├─ pulumi:providers:aws lakehouse-aws",
    ]);
    expect(lines.slice(-2)).to.deep.equal([
      "",
      "82 resources in 28 components. Deploy with: pulumi up --stack dev",
    ]);
  });
});
