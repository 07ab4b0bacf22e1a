import { expect } from "chai";
import { parseLakehouseConfig, StackConfigError } from "../../config/stack-config";

/** The problems the schema reports for `raw`; fails the test when the config is accepted. */
export function problemsOf(raw: unknown): string[] {
  try {
    parseLakehouseConfig(raw);
  } catch (error) {
    expect(error).to.be.instanceOf(StackConfigError);
    return (error as StackConfigError).problems;
  }
  throw new Error("expected the config to be refused");
}
