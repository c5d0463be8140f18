#!/usr/bin/env bash
# Before a `pulumi up` of STACK: is the state backend we are logged in to current? Every update
# that makes a DR state real also writes it, with its sequence, to the SSM parameter
# /dr-state/<project>/<stack> in the stack's recovery region (docs/deployed-state.md#freshness).
# On disaster day the backend is the recovery-region replica of the state bucket, which can be up
# to 15 minutes behind: a copy ahead of the backend's drState means the backend lost or has not
# yet received the last update, and a run from it would check its move against a stale state.
#
#   tools/ci/backend-is-current.sh STACK required   fail when the copy cannot be read (disaster day)
#   tools/ci/backend-is-current.sh STACK optional   warn and go on (the recovery region may be down)
set -euo pipefail
stack="$1"
mode="${2:-optional}"
project=aws-dr
region="$(pulumi config get dr:recoveryRegion --stack "$stack")"
name="/dr-state/$project/$stack"

if ! copy="$(aws ssm get-parameter --region "$region" --name "$name" --query Parameter.Value --output text 2> copy.err)"; then
  if grep -q ParameterNotFound copy.err; then
    echo "no copy of the state in $region yet (a first deployment, or none since it was added): nothing to compare"
    exit 0
  fi
  cat copy.err >&2
  if [ "$mode" = required ]; then
    echo "::error::cannot read $name in $region, so the backend's freshness is unknown (docs/deployed-state.md#freshness)"
    exit 1
  fi
  echo "::warning::cannot read $name in $region (is the recovery region down?): the backend's freshness is not checked"
  exit 0
fi
ahead="$(jq -r '.sequence' <<< "$copy")"
if ! state="$(pulumi stack output drState --json --stack "$stack" 2> /dev/null)"; then state='{}'; fi
behind="$(jq -r '.sequence // 0' <<< "$state")"

if [ "$ahead" -gt "$behind" ]; then
  # The copy is written before the outputs: an update that failed after it (an output that never
  # resolved) leaves it ahead with the state that run made real. A retry of that same move is
  # what it needs; anything else would be checked against a state that is no longer deployed.
  desired="$(npm run --silent plan -- --stack "$stack" --json | jq -S -c '.outputs.drState | del(.sequence)')"
  if [ "$desired" = "$(jq -S -c 'del(.sequence)' <<< "$copy")" ]; then
    echo "::warning::the copy in $region ($ahead) is ahead of the backend ($behind) with this run's own state: the last update made it real and failed before publishing it, or the backend lags; this run retries that move"
    exit 0
  fi
  echo "::error::the state backend is behind: its drState has sequence $behind, the copy in $region has $ahead ($(jq -c . <<< "$copy")). Wait for the state bucket's replication, or log in to the primary-region backend if it answers, then run again (docs/deployed-state.md#freshness)"
  exit 1
fi
if [ "$ahead" -lt "$behind" ]; then
  echo "::warning::the copy in $region ($ahead) is behind the backend ($behind): the last update failed before writing it; this run writes it again"
fi
echo "the backend is current: sequence $behind"
