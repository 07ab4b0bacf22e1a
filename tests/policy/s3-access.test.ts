import { expect } from "chai";
import {
  s3BucketAbortIncompleteUploads,
  s3BucketAccessLogging,
  s3BucketTlsOnly,
} from "../../policy/s3-bucket-access";
import {
  ABORT_UPLOADS_RULE,
  addBucket,
  logAndDataBuckets,
  policyJson,
  tlsOnlyStatements,
} from "./helpers/compliant";
import { violationsOf } from "./helpers/evaluate";
import { FixtureStack } from "./helpers/fixture-stack";

describe("policy: S3 access", () => {
  describe("s3-bucket-tls-only", () => {
    it("passes bucket policies that deny plain HTTP and TLS < 1.2 on the bucket and its objects", async () => {
      expect(await violationsOf(s3BucketTlsOnly, logAndDataBuckets().f.records)).to.deep.equal([]);
    });

    it("reports a policy that only denies plain HTTP", async () => {
      const [insecureTransport] = tlsOnlyStatements("arn:aws:s3:::data");
      const { f } = logAndDataBuckets({ inputs: { policy: { policy: policyJson(insecureTransport) } } });
      expect(await violationsOf(s3BucketTlsOnly, f.records)).to.deep.equal([
        {
          resource: "data-policy",
          message:
            'policy of bucket "data" does not deny TLS older than 1.2 (s3:TlsVersion NumericLessThan 1.2)',
        },
      ]);
    });

    it("does not count denies that cover the bucket but not its objects", async () => {
      const statements = tlsOnlyStatements("arn:aws:s3:::data").map((s) => ({
        ...s,
        Resource: "arn:aws:s3:::data",
      }));
      const { f } = logAndDataBuckets({ inputs: { policy: { policy: policyJson(...statements) } } });
      expect(await violationsOf(s3BucketTlsOnly, f.records)).to.deep.equal([
        {
          resource: "data-policy",
          message:
            'policy of bucket "data" does not deny requests made without TLS (aws:SecureTransport "false")',
        },
        {
          resource: "data-policy",
          message:
            'policy of bucket "data" does not deny TLS older than 1.2 (s3:TlsVersion NumericLessThan 1.2)',
        },
      ]);
    });

    it("does not count a deny narrowed by a further condition (it would apply to almost no request)", async () => {
      const [insecure, oldTls] = tlsOnlyStatements("arn:aws:s3:::data");
      const narrowed = {
        ...insecure,
        Condition: { Bool: { "aws:SecureTransport": "false" }, StringEquals: { "aws:username": "nobody" } },
      };
      const { f } = logAndDataBuckets({ inputs: { policy: { policy: policyJson(narrowed, oldTls) } } });
      expect(await violationsOf(s3BucketTlsOnly, f.records)).to.deep.equal([
        {
          resource: "data-policy",
          message:
            'policy of bucket "data" does not deny requests made without TLS (aws:SecureTransport "false")',
        },
      ]);
    });

    it("reports a bucket without a policy and a policy that is not JSON", async () => {
      const { f, logs } = logAndDataBuckets({ inputs: { policy: { policy: "{not json" } } });
      addBucket(f, "open", { omit: ["policy"], logTarget: logs });
      expect(await violationsOf(s3BucketTlsOnly, f.records)).to.deep.equal([
        { resource: "data-policy", message: 'policy of bucket "data" is not valid JSON' },
        { resource: "open", message: 'bucket "open" has no bucket policy' },
      ]);
    });
  });

  describe("s3-bucket-access-logging", () => {
    it("passes buckets logging to the log bucket; the log bucket itself is exempt", async () => {
      expect(await violationsOf(s3BucketAccessLogging, logAndDataBuckets().f.records)).to.deep.equal([]);
    });

    it("reports a bucket that logs to itself and one that does not log", async () => {
      const f = new FixtureStack();
      const logs = addBucket(f, "logs");
      const data = addBucket(f, "data", { logTarget: logs, omit: ["logging"] });
      f.add(
        "aws:s3/bucketLogging:BucketLogging",
        "data-logging",
        { bucket: "data", targetBucket: "data" },
        { refs: { bucket: data, targetBucket: data } },
      );
      expect(await violationsOf(s3BucketAccessLogging, f.records)).to.deep.equal([
        {
          resource: "logs",
          message: 'bucket "logs" has no server access logging and receives no other bucket\'s logs',
        },
        { resource: "data-logging", message: 'bucket "data" writes its access logs to itself' },
      ]);
    });

    it("matches buckets by name when the values were written in, not taken from outputs", async () => {
      const f = new FixtureStack();
      addBucket(f, "logs");
      addBucket(f, "data", { omit: ["logging"] });
      f.add("aws:s3/bucketLogging:BucketLogging", "data-logging", { bucket: "data", targetBucket: "logs" });
      expect(await violationsOf(s3BucketAccessLogging, f.records)).to.deep.equal([]);
    });
  });

  describe("s3-bucket-lifecycle-aborts-uploads", () => {
    it("passes buckets with an enabled whole-bucket abort rule", async () => {
      expect(await violationsOf(s3BucketAbortIncompleteUploads, logAndDataBuckets().f.records)).to.deep.equal(
        [],
      );
    });

    it("does not count an abort rule limited to a prefix or disabled, and reports a bucket without lifecycle", async () => {
      const partial = { ...ABORT_UPLOADS_RULE, filter: { prefix: "raw/" } };
      const disabled = { ...ABORT_UPLOADS_RULE, status: "Disabled" };
      const { f, logs } = logAndDataBuckets({ inputs: { lifecycle: { rules: [partial, disabled] } } });
      addBucket(f, "bare", { omit: ["lifecycle"], logTarget: logs });
      expect(await violationsOf(s3BucketAbortIncompleteUploads, f.records)).to.deep.equal([
        {
          resource: "data-lifecycle",
          message:
            'lifecycle of bucket "data" has no enabled whole-bucket rule that aborts incomplete multipart uploads',
        },
        { resource: "bare", message: 'bucket "bare" has no lifecycle configuration' },
      ]);
    });
  });
});
