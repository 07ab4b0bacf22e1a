import { expect } from "chai";
import { sharedCredentials } from "../components/aws-sdk-clients";

describe("one credential chain shared by a provider's clients (components/aws-sdk-clients.ts)", () => {
  const identity = (n: number, expiresInMs?: number) => ({
    accessKeyId: `ASIA${n}`,
    secretAccessKey: "secret",
    ...(expiresInMs === undefined ? {} : { expiration: new Date(Date.now() + expiresInMs) }),
  });

  it("asks once for clients asking at the same time, and reuses credentials that stay valid", async () => {
    let calls = 0;
    const shared = sharedCredentials(async () => identity(++calls, 3600000));
    const first = await Promise.all([shared(), shared(), shared()]);
    expect(first.map((c) => c.accessKeyId)).to.deep.equal(["ASIA1", "ASIA1", "ASIA1"]);
    expect((await shared()).accessKeyId).to.equal("ASIA1");
    expect(calls).to.equal(1);
  });

  it("asks again when the credentials are within five minutes of expiring, and after a failure", async () => {
    let calls = 0;
    const expiring = sharedCredentials(async () => identity(++calls, 60000));
    expect([(await expiring()).accessKeyId, (await expiring()).accessKeyId]).to.deep.equal([
      "ASIA1",
      "ASIA2",
    ]);
    let attempt = 0;
    const flaky = sharedCredentials(async () => {
      attempt += 1;
      if (attempt === 1) {
        throw new Error("STS unavailable");
      }
      return identity(attempt);
    });
    expect(
      await flaky().then(
        () => "ok",
        (e: Error) => e.message,
      ),
    ).to.equal("STS unavailable");
    expect((await flaky()).accessKeyId).to.equal("ASIA2");
  });
});
