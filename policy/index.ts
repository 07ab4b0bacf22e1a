import { PolicyPack } from "@pulumi/policy";
import { POLICY_PACK_ARGS, POLICY_PACK_NAME } from "./pack";

// Starts the policy pack's gRPC server for `pulumi preview --policy-pack policy`. Nothing else may
// import this file: tests and the offline check import ./pack.
new PolicyPack(POLICY_PACK_NAME, POLICY_PACK_ARGS);
