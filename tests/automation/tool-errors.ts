import { expect } from "chai";
import { ExitCode, PreviewToolError } from "../../automation/errors";

function asToolError(error: unknown): PreviewToolError {
  expect(error).to.be.instanceOf(PreviewToolError);
  return error as PreviewToolError;
}

/** The PreviewToolError `run` throws; fails the test when it throws nothing or something else. */
export function toolError(run: () => unknown): PreviewToolError {
  try {
    run();
  } catch (error) {
    return asToolError(error);
  }
  throw new Error("expected a PreviewToolError");
}

export async function asyncToolError(run: () => Promise<unknown>): Promise<PreviewToolError> {
  try {
    await run();
  } catch (error) {
    return asToolError(error);
  }
  throw new Error("expected a PreviewToolError");
}

/** The message of the error `run` throws, after checking its exit code. */
export function toolErrorMessage(exitCode: ExitCode, run: () => unknown): string {
  const error = toolError(run);
  expect(error.exitCode).to.equal(exitCode);
  return error.message;
}
