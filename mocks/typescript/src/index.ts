/**
 * index.ts — the awssim bridge for Pulumi's mock mode (TypeScript).
 *
 *   import * as pulumi from "@pulumi/pulumi";
 *   import { AwssimMocks } from "awssim-pulumi-mocks";
 *   pulumi.runtime.setMocks(new AwssimMocks({ endpoint: process.env.AWSSIM_URL }), "proj", "test");
 */
export { AwssimMocks } from "./mocks";
export type { AwssimMocksOptions, CreatedResource } from "./mocks";
export { HANDLERS, waitForStatus } from "./handlers";
export { renderPolicyDocument } from "./policy";
export { strip, camelKeys } from "./wrappers";
export { durationSeconds, rootCredentials, accountOfArn } from "./credentials";
export type { AwsCredentials, CallContext } from "./credentials";
export { AwsApiError, advanceClock, ramVisible, registryCreate, registryList, resolveEndpoint, sdkSender, startAwssim } from "./awssim";
export type { AwssimServer, Sender, ServiceKey } from "./awssim";
export { deploy, ensureBootstrapRoles, flatten, settle, parseArgs, projectName, stackConfig } from "./deploy";
