import { expect } from "chai";
import { formatAge, parseDuration, previewExpiry } from "../../automation/durations";
import { EXIT_CODES } from "../../cli/exit-codes";
import { parsePullRequestNumber, previewStackName, pullRequestOfStack } from "../../automation/pull-request";
import { toolErrorMessage } from "../helpers/tool-errors";

const usageMessage = (run: () => unknown) => toolErrorMessage(EXIT_CODES.usage, run);

describe("preview naming", () => {
  const accepted: [string, number, string][] = [
    ["12", 12, "pr-12"],
    ["#12", 12, "pr-12"],
    [" 7 ", 7, "pr-7"],
    ["012", 12, "pr-12"],
    ["999999999999999", 999999999999999, "pr-999999999999999"],
  ];
  for (const [raw, number, stack] of accepted) {
    it(`reads pull request ${JSON.stringify(raw)} as ${stack}`, () => {
      expect(parsePullRequestNumber(raw)).to.equal(number);
      expect(previewStackName(parsePullRequestNumber(raw))).to.equal(stack);
    });
  }

  const refused = [
    "",
    "0",
    "-3",
    "1.5",
    "12a",
    "pr-12",
    "12; rm -rf /",
    "1e3",
    "0x1f",
    "1234567890123456",
    "# 12",
  ];
  for (const raw of refused) {
    it(`refuses pull request ${JSON.stringify(raw)}`, () => {
      expect(usageMessage(() => parsePullRequestNumber(raw))).to.equal(
        `[--pr] must be a pull request number: a positive integer such as 12 or #12; got ${JSON.stringify(raw)}`,
      );
    });
  }

  it("names a missing value in the message", () => {
    expect(usageMessage(() => parsePullRequestNumber(undefined))).to.equal(
      '[--pr] must be a pull request number: a positive integer such as 12 or #12; got ""',
    );
  });

  it("recognises preview stacks, also fully qualified, and nothing else", () => {
    const names = [
      "pr-12",
      "acme/iceberg-lakehouse/pr-7",
      "acme/pr-3",
      "dev",
      "prod",
      "pr-0",
      "pr-012",
      "pr-12x",
      "xpr-12",
      "a/b/c/pr-1",
    ];
    expect(names.map(pullRequestOfStack)).to.deep.equal([
      12,
      7,
      3,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe("preview durations", () => {
  const hour = 3_600_000;
  it("reads durations with a unit", () => {
    expect(["3d", "72h", "2 days", "90m", "1w"].map((d) => parseDuration("--ttl", d))).to.deep.equal([
      72 * hour,
      72 * hour,
      48 * hour,
      1.5 * hour,
      168 * hour,
    ]);
  });

  const refused: [string, string][] = [
    ["100", '[--older-than] must be a duration with a unit, such as 3d, 72h or 90m; got "100"'],
    ["soon", '[--older-than] must be a duration with a unit, such as 3d, 72h or 90m; got "soon"'],
    ["", '[--older-than] must be a duration with a unit, such as 3d, 72h or 90m; got ""'],
    ["30m", '[--older-than] must be at least 1h; got "30m"'],
    ["-3d", '[--older-than] must be at least 1h; got "-3d"'],
  ];
  for (const [raw, message] of refused) {
    it(`refuses duration ${JSON.stringify(raw)}`, () => {
      expect(usageMessage(() => parseDuration("--older-than", raw))).to.equal(message);
    });
  }

  it("formats ages the way ms rounds them", () => {
    expect([formatAge(25 * hour), formatAge(72 * hour), formatAge(5 * hour), formatAge(-1)]).to.deep.equal([
      "1d",
      "3d",
      "5h",
      "0ms",
    ]);
  });

  it("rounds the expiry up to the next UTC midnight, so pushes on one day do not retag every resource", () => {
    const ttl = 72 * hour;
    expect(previewExpiry(new Date("2025-11-26T10:00:00Z"), ttl)).to.equal("2025-11-30T00:00:00Z");
    expect(previewExpiry(new Date("2025-11-26T23:59:59Z"), ttl)).to.equal("2025-11-30T00:00:00Z");
    expect(previewExpiry(new Date("2025-11-27T00:00:00Z"), ttl)).to.equal("2025-11-30T00:00:00Z");
    expect(previewExpiry(new Date("2025-11-27T00:00:01Z"), ttl)).to.equal("2025-12-01T00:00:00Z");
  });
});
