import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { prerequisiteError } from "../cli/exit-codes";

/**
 * Fails with a clear message when the AWS SDK's default credential chain finds nothing. The Pulumi
 * AWS provider looks in the same places (environment, shared files, SSO, web identity, instance or
 * container role), so this is the same answer minutes earlier and before anything changed.
 */
export async function checkAwsCredentials(
  provider: () => Promise<unknown> = defaultProvider(),
): Promise<void> {
  try {
    await provider();
  } catch (error) {
    throw prerequisiteError(
      `No AWS credentials found (${error instanceof Error ? error.message : String(error)}). The AWS SDK ` +
        "looked in the environment, the shared config and credentials files, SSO, web identity and the " +
        "instance or container role. In GitHub Actions, let aws-actions/configure-aws-credentials assume a " +
        'role with the job\'s OIDC token (role-to-assume); locally, set AWS_PROFILE or run "aws sso login".',
    );
  }
}
