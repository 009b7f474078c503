/**
 * The Terraform JSON that `templates/terraform/main.tf.json` holds, synthesized in memory
 * from the cdktf stack: what a team applies with `terraform` alone.
 *
 * cdktf and the AWS provider bindings (large, slow to load) are loaded only when this is
 * called, so importing the library does not load them.
 */
export async function renderTerraformTemplate(): Promise<string> {
  const { synthTerraform } = await import('./write.js');
  return synthTerraform();
}
