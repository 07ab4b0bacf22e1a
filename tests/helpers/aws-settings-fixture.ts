/** A role the fixture settings assume. */
export const ROLE = "arn:aws:iam::210987654321:role/lakehouse-deploy";

/** Every supported aws: setting of a stack file, as a user writes them. */
export const EVERY_AWS_SETTING = {
  profile: "lakehouse-dev",
  sharedConfigFiles: ["/home/ci/.aws/config"],
  sharedCredentialsFiles: ["/home/ci/.aws/credentials"],
  assumeRoles: [
    {
      roleArn: ROLE,
      sessionName: "pulumi-dev",
      externalId: "lakehouse-external-id",
      duration: "1h30m",
      policy: '{"Version":"2012-10-17","Statement":[]}',
      policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
      tags: { Team: "data-platform" },
      transitiveTagKeys: ["Team"],
      sourceIdentity: "ci-runner",
    },
  ],
  allowedAccountIds: ["210987654321"],
  endpoints: [{ glue: "https://glue.vpce.example.internal", sts: "https://sts.eu-west-1.amazonaws.com" }],
  stsRegion: "eu-west-1",
  maxRetries: 5,
  retryMode: "adaptive",
  useFipsEndpoint: false,
  useDualstackEndpoint: true,
  s3UsePathStyle: true,
  ignoreTags: { keyPrefixes: ["aws-cost-"] },
};
