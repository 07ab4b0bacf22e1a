import { expect } from "chai";
import { ExitCode, ToolError } from "../../cli/exit-codes";

function asToolError(error: unknown): ToolError {
  expect(error).to.be.instanceOf(ToolError);
  return error as ToolError;
}

/** The ToolError `run` throws; fails the test when it throws nothing or something else. */
export function toolError(run: () => unknown): ToolError {
  try {
    run();
  } catch (error) {
    return asToolError(error);
  }
  throw new Error("expected a ToolError");
}

export async function asyncToolError(run: () => Promise<unknown>): Promise<ToolError> {
  try {
    await run();
  } catch (error) {
    return asToolError(error);
  }
  throw new Error("expected a ToolError");
}

/** The message of the error `run` throws, after checking its exit code. */
export function toolErrorMessage(exitCode: ExitCode, run: () => unknown): string {
  const error = toolError(run);
  expect(error.exitCode).to.equal(exitCode);
  return error.message;
}
