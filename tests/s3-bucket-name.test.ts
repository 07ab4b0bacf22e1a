import { expect } from "chai";
import { S3_BUCKET_NAME_RULE, s3BucketNameProblem } from "../components/s3-bucket-name";

describe("S3 bucket names by AWS's rules for general purpose buckets", () => {
  it("accepts names S3 accepts, dots and hyphens inside included", () => {
    for (const name of ["abc", "lakehouse-dev-data", "logs.example.internal", "a".repeat(63), "1-2.3"]) {
      expect(s3BucketNameProblem(name), name).to.equal(undefined);
    }
  });

  const refused: [string, string][] = [
    ["ab", "it is 2 characters long"],
    ["a".repeat(64), "it is 64 characters long"],
    ["Data-Bucket", "it has a character other than a lowercase letter, a digit, a period or a hyphen"],
    ["data_bucket", "it has a character other than a lowercase letter, a digit, a period or a hyphen"],
    ["-data", "it does not start and end with a letter or digit"],
    ["data.", "it does not start and end with a letter or digit"],
    ["data..bucket", "it has two adjacent periods"],
    ["192.168.5.4", "it is formatted as an IP address"],
    ["xn--data", 'it starts with the reserved prefix "xn--"'],
    ["sthree-data", 'it starts with the reserved prefix "sthree-"'],
    ["amzn-s3-demo-data", 'it starts with the reserved prefix "amzn-s3-demo-"'],
    ["data-s3alias", 'it ends with the reserved suffix "-s3alias"'],
    ["data--ol-s3", 'it ends with the reserved suffix "--ol-s3"'],
    ["data.mrap", 'it ends with the reserved suffix ".mrap"'],
    ["data--x-s3", 'it ends with the reserved suffix "--x-s3"'],
    ["data--table-s3", 'it ends with the reserved suffix "--table-s3"'],
  ];
  for (const [name, rule] of refused) {
    it(`refuses ${JSON.stringify(name)}: ${rule}`, () => {
      expect(s3BucketNameProblem(name)).to.equal(
        `${JSON.stringify(name)} is not an S3 bucket name: ${rule}; accepted: ${S3_BUCKET_NAME_RULE}`,
      );
    });
  }
});
