import { fileURLToPath } from 'node:url';

/**
 * Absolute path of a template shared by several generators (generators/shared/templates,
 * copied beside the compiled generators by the build). Yeoman's templatePath keeps an
 * absolute path as it is, so plans may mix shared and own templates.
 */
export function sharedTemplate(rel: string): string {
  return fileURLToPath(new URL(`./templates/${rel}`, import.meta.url));
}
