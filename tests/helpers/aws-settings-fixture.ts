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

/** Two roles in moto's default account, where tests seed the emulator (moto keeps one state per account). */
export const MOTO_ROLES = [
  "arn:aws:iam::123456789012:role/lakehouse-deploy",
  "arn:aws:iam::123456789012:role/lakehouse-tables",
] as const;

/**
 * `aws:` settings for a stack that reaches AWS only through `endpoint` (every service the providers
 * call, STS included), as the profile of the given shared files, assuming both MOTO_ROLES in turn with
 * STS in us-east-1: what the recorder tests prove reaches the providers.
 */
export function settingsThroughEndpoint(
  endpoint: string,
  profile: string,
  files: { readonly config: string; readonly credentials: string },
): Record<string, unknown> {
  return {
    profile,
    sharedConfigFiles: [files.config],
    sharedCredentialsFiles: [files.credentials],
    assumeRoles: [{ roleArn: MOTO_ROLES[0], sessionName: "pulumi-dev" }, { roleArn: MOTO_ROLES[1] }],
    stsRegion: "us-east-1",
    endpoints: [{ athena: endpoint, glue: endpoint, s3: endpoint, sts: endpoint }],
    s3UsePathStyle: true,
  };
}
