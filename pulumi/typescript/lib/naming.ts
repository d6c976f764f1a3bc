/**
 * naming.ts — names and tags every migrated resource carries.
 *
 * Every physical and logical name ends with environmentSuffix so stacks can run side by side.
 * Tags: the service's original tags are kept as they are; migration metadata is added under the
 * "migration:" prefix so it never overwrites an original tag.
 */
import { MigrationConfig } from "./config";

/** `base-suffix`, the one naming rule of the framework. */
export function resourceName(base: string, suffix: string): string {
  return `${base}-${suffix}`;
}

/** Migration metadata tags for one resource. */
export function migrationTags(cfg: MigrationConfig, extra: Record<string, string> = {}): Record<string, string> {
  const tags: Record<string, string> = {
    "migration:id": cfg.migrationId,
    "migration:environment-suffix": cfg.environmentSuffix,
    "migration:source-account": cfg.accounts.legacy,
    "migration:managed-by": "pulumi",
    "migration:mode": cfg.dryRun ? "dry-run" : "live",
  };
  for (const [k, v] of Object.entries(extra)) tags[`migration:${k}`] = v;
  return tags;
}

/** Original tags plus metadata; an original tag is never replaced. */
export function mergeTags(original: Record<string, string>, metadata: Record<string, string>): Record<string, string> {
  return { ...metadata, ...original };
}
