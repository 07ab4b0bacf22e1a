import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  EXIT_CODES,
  exitCodeOf,
  failedError,
  prerequisiteError,
  refusedError,
  runCommand,
  usageError,
} from "../../cli/exit-codes";
import { readInputFile, readJsonInputFile, requireOutputFolder } from "../../cli/input-files";
import { StackConfigError } from "../../config/stack-config";
import { toolErrorMessage } from "../helpers/tool-errors";

describe("exit codes shared by every command (cli/exit-codes.ts)", () => {
  it("are 0 ok, 1 failed, 2 usage, 3 refused, 4 prerequisite missing", () => {
    expect(EXIT_CODES).to.deep.equal({ ok: 0, failed: 1, usage: 2, refused: 3, prerequisiteMissing: 4 });
  });

  const mapped = (error: unknown) => {
    const printed: string[] = [];
    return { code: exitCodeOf(error, (text) => printed.push(text)), printed };
  };

  it("maps each kind of tool error to its code and prints only its message", () => {
    const cases = [
      [usageError("u"), 2],
      [refusedError("r"), 3],
      [prerequisiteError("p"), 4],
      [failedError("f"), 1],
    ] as const;
    for (const [error, code] of cases) {
      expect(mapped(error)).to.deep.equal({ code, printed: [error.message] });
    }
  });

  it("maps an invalid stack file to a usage error that says nothing was changed", () => {
    expect(mapped(new StackConfigError(["[lakehouse.glue] bad"]))).to.deep.equal({
      code: EXIT_CODES.usage,
      printed: ["Invalid stack configuration:\n  - [lakehouse.glue] bad\nNothing was changed."],
    });
  });

  it("maps anything else to a failure, shown with its stack trace", () => {
    const { code, printed } = mapped(new TypeError("boom"));
    expect(code).to.equal(EXIT_CODES.failed);
    expect(printed[0]).to.match(/^TypeError: boom\n {4}at /);
    expect(mapped("a string")).to.deep.equal({ code: EXIT_CODES.failed, printed: ["a string"] });
  });

  it("runCommand turns a body's outcome into its exit code", async () => {
    const errors: string[] = [];
    const print = (text: string) => errors.push(text);
    expect(await runCommand(() => undefined, print)).to.equal(EXIT_CODES.ok);
    expect(await runCommand(async () => EXIT_CODES.refused, print)).to.equal(EXIT_CODES.refused);
    expect(
      await runCommand(async () => {
        throw usageError("[--x] no");
      }, print),
    ).to.equal(EXIT_CODES.usage);
    expect(errors).to.deep.equal(["[--x] no"]);
  });
});

describe("files named on a command line (cli/input-files.ts)", () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "input-files-"))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("names the option of a missing file, a folder given as a file, and a file that is not JSON", () => {
    const missing = path.join(dir, "missing.json");
    expect(toolErrorMessage(EXIT_CODES.usage, () => readInputFile("--policy-pack-config", missing))).to.equal(
      `[--policy-pack-config] no such file: ${missing}`,
    );
    expect(toolErrorMessage(EXIT_CODES.usage, () => readInputFile("<metadata.json>", dir))).to.equal(
      `[<metadata.json>] is a folder, not a file: ${dir}`,
    );
    const notJson = path.join(dir, "not.json");
    fs.writeFileSync(notJson, "{ nope");
    expect(toolErrorMessage(EXIT_CODES.usage, () => readJsonInputFile("--declaration", notJson))).to.match(
      new RegExp(`^\\[--declaration\\] ${notJson} is not JSON: `),
    );
    fs.writeFileSync(notJson, '{"a": 1}');
    expect(readJsonInputFile("--declaration", notJson)).to.deep.equal({ a: 1 });
  });

  it("refuses a file to write into a folder that does not exist, naming the option", () => {
    const file = path.join(dir, "nowhere", "comment.md");
    expect(toolErrorMessage(EXIT_CODES.usage, () => requireOutputFolder("--comment-file", file))).to.equal(
      `[--comment-file] no such folder: ${path.join(dir, "nowhere")} (the file to write is ${file})`,
    );
    expect(() => requireOutputFolder("--comment-file", path.join(dir, "comment.md"))).not.to.throw();
  });
});
