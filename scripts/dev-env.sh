# Source this file (". scripts/dev-env.sh") before running the tests or the offline
# cdktf/Terraform paths. It finds what the machine provides and exports:
#   ION_DEST_PROVIDER_MIRROR  folder holding registry.terraform.io/hashicorp/aws/5.100.0
#   CHECKPOINT_DISABLE=1      no Terraform/cdktf telemetry
# Set ION_DEST_PROVIDER_MIRROR yourself to skip the search.
if [ -z "${ION_DEST_PROVIDER_MIRROR:-}" ]; then
  _ion_dest_found=$(find / -xdev -maxdepth 6 -type d -path '*/registry.terraform.io/hashicorp/aws/5.100.0' 2>/dev/null | head -n 1)
  if [ -n "$_ion_dest_found" ]; then
    ION_DEST_PROVIDER_MIRROR=$(dirname "$(dirname "$(dirname "$(dirname "$_ion_dest_found")")")")
    export ION_DEST_PROVIDER_MIRROR
  else
    echo "dev-env: no filesystem mirror of registry.terraform.io/hashicorp/aws/5.100.0 found; set ION_DEST_PROVIDER_MIRROR" >&2
  fi
  unset _ion_dest_found
fi
export CHECKPOINT_DISABLE=1
