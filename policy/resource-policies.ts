import { StackValidationPolicy } from "@pulumi/policy";
import { isAllow, parsePolicyDocument, principalValues, statementLabel } from "./lib/iam-document";
import { stackDocuments } from "./lib/stack-documents";

/** Resource-based policies (buckets, access points, topics, queues, the Glue catalog, log groups). */

export const resourcePoliciesNotPublic: StackValidationPolicy = {
  name: "resource-policies-not-public",
  description:
    "No resource-based policy of the stack (bucket and access point policies, SNS topic, SQS queue, Glue " +
    'catalog and CloudWatch Logs resource policies) allows a wildcard ("*") principal or every principal but ' +
    "some (NotPrincipal), whatever its conditions (Checkov CKV_AWS_70, CKV_AWS_169, CKV_AWS_168; AWS FSBP " +
    "S3.2, S3.3). Other accounts: see no-untrusted-accounts.",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Allow named principals only: {"Service": "<service>.amazonaws.com"} with aws:SourceAccount or ' +
    'aws:SourceArn conditions, or roles of the stack; deny statements may use "*".',
  validateStack: (args, reportViolation) => {
    for (const { resource, label, document } of stackDocuments(args.resources, ["resource"])) {
      const parsed = parsePolicyDocument(document);
      if (parsed.error !== undefined) {
        reportViolation(`${label} ${parsed.error}`, resource.urn);
        continue;
      }
      parsed.statements.forEach((statement, index) => {
        if (!isAllow(statement)) {
          return;
        }
        const where = `${statementLabel(statement, index)} of ${label}`;
        if (statement.NotPrincipal !== undefined) {
          reportViolation(`${where} allows every principal but the named ones (NotPrincipal)`, resource.urn);
        }
        for (const principal of principalValues(statement.Principal).filter((p) => p.includes("*"))) {
          reportViolation(`${where} allows principal "${principal}"`, resource.urn);
        }
      });
    }
  },
};
