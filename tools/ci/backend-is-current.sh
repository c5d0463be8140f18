#!/usr/bin/env bash
# Before a `pulumi up` of STACK: is the state backend we are logged in to current? Every update
# that makes a DR state real also writes it, with its sequence, to the SSM parameter
# /dr-state/<project>/<stack> in the stack's recovery region (docs/deployed-state.md#freshness).
# On disaster day the backend is the recovery-region replica of the state bucket, which can be up
# to 15 minutes behind: a copy ahead of the backend's drState means the backend lost or has not
# yet received the last update, and a run from it would check its move against a stale state.
#
#   tools/ci/backend-is-current.sh STACK required [ACCEPT]   disaster day (disaster-day.yml): the
#       copy must be readable; a copy ahead passes only for a retry of its own move, or when ACCEPT
#       (the dispatch's accept-state-copy-sequence) is the copy's sequence, or `missing` for a copy
#       that is gone while the backend has a sequence: the operator has checked what is deployed
#   tools/ci/backend-is-current.sh STACK optional            an ordinary deploy from the primary
#       backend (pulumi-up.yml): a copy it cannot read or that is gone is a warning (the recovery
#       region may be down); a copy ahead is always refused (the failover's updates are not in the
#       primary backend until the state failback)
set -euo pipefail
stack="$1"
mode="${2:-optional}"
accept="${3:-}"
project=aws-dr
freshness=docs/deployed-state.md#freshness

case "$mode" in required | optional) ;; *)
  echo "::error::mode must be required or optional, not '$mode'"
  exit 2
  ;;
esac
if [ -n "$accept" ] && ! [[ "$accept" =~ ^([0-9]+|missing)$ ]]; then
  echo "::error::accept-state-copy-sequence must be the copy's sequence (a number) or missing, not '$accept' ($freshness)"
  exit 2
fi
if [ -n "$accept" ] && [ "$mode" != required ]; then
  echo "::error::an accepted copy sequence is for disaster day only (required mode): an ordinary deploy never runs past the copy ($freshness)"
  exit 2
fi
loud() {
  echo "::warning::$1"
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then echo "**Freshness check accepted by the operator:** $1" >> "$GITHUB_STEP_SUMMARY"; fi
}

region="$(pulumi config get dr:recoveryRegion --stack "$stack")"
name="/dr-state/$project/$stack"

if ! state="$(pulumi stack output drState --json --stack "$stack" 2> /dev/null)"; then state='{}'; fi
if ! behind="$(jq -er '.sequence // 0 | if type == "number" and . >= 0 and . == floor then . else error("") end' <<< "$state" 2> /dev/null)"; then
  echo "::error::the backend's drState output has no sequence this check can read: $state ($freshness)"
  exit 1
fi

err="$(mktemp)"
trap 'rm -f "$err"' EXIT
if ! copy="$(aws ssm get-parameter --region "$region" --name "$name" --query Parameter.Value --output text 2> "$err")"; then
  if grep -q ParameterNotFound "$err"; then
    if [ "$behind" -eq 0 ]; then
      echo "no copy of the state in $region yet (a first deployment, or none since it was added): nothing to compare"
      exit 0
    fi
    # The backend has published a state, so the copy existed: it was deleted. Until the next update
    # that moves the state rewrites it, nothing shows whether this backend is current.
    gone="the copy $name in $region is gone while the backend's drState has sequence $behind: it was deleted, so the backend's freshness is unknown"
    if [ "$mode" = optional ]; then
      echo "::warning::$gone; put it back by hand ($freshness)"
      exit 0
    fi
    if [ "$accept" = missing ]; then
      loud "$gone; accepted (accept-state-copy-sequence=missing): this run goes on from the backend's state (sequence $behind) as the operator checked it; put the copy back by hand unless this run moves the state ($freshness)"
      exit 0
    fi
    echo "::error::$gone. Check that the backend's last update (pulumi stack history) is the last one deployed, then dispatch again with accept-state-copy-sequence=missing ($freshness)"
    exit 1
  fi
  cat "$err" >&2
  if [ "$mode" = required ]; then
    echo "::error::cannot read $name in $region, so the backend's freshness is unknown ($freshness)"
    exit 1
  fi
  echo "::warning::cannot read $name in $region (is the recovery region down?): the backend's freshness is not checked"
  exit 0
fi
if ! ahead="$(jq -er '.sequence | if type == "number" and . >= 0 and . == floor then . else error("") end' <<< "$copy" 2> /dev/null)"; then
  echo "::error::the copy $name in $region is no drState with a sequence (changed by hand?): '${copy:0:300}'. Put the backend's drState back into it by hand ($freshness)"
  exit 1
fi

if [ "$ahead" -gt "$behind" ]; then
  summary="the copy in $region has sequence $ahead ($(jq -c . <<< "$copy")), the backend's drState $behind"
  if [ "$mode" = optional ]; then
    # An ordinary deploy runs from the primary backend. A copy ahead of it is, almost always, a
    # failover (or a later disaster-day step) whose updates went to the failover bucket: running
    # from here would check the move against the state before the disaster, even when the stack
    # file equals the copy (a disaster-day pull request merged before the state failback).
    echo "::error::the state backend is behind: $summary. The primary backend lacks the failover's updates: run the state failback first (docs/disaster-day.md#state-failback), then deploy again. No failover since? Then an update here failed after writing the copy: see $freshness"
    exit 1
  fi
  if [ "$accept" = "$ahead" ]; then
    loud "$summary; accepted (accept-state-copy-sequence=$ahead): this run checks its move against the backend's state as the operator found it deployed. The next update that moves the state rewrites the copy; if this run moves nothing, realign the copy by hand ($freshness)"
    exit 0
  fi
  # The copy is written before the outputs: an update that failed after it (an output that never
  # resolved) leaves it ahead with the state that run made real. A retry of that same move is
  # what it needs; anything else would be checked against a state that is no longer deployed.
  # Only from the backend disaster day writes to (BACKEND_KIND, the workflow's input: recovery unless
  # asked): the primary bucket before the state failback holds the checkpoint from before the
  # disaster, and a "retry" from it would repeat the failover from there.
  desired="$(npm run --silent plan -- --stack "$stack" --json | jq -S -c '.outputs.drState | del(.sequence)')"
  if [ "${BACKEND_KIND:-recovery}" != primary ] && [ "$desired" = "$(jq -S -c 'del(.sequence)' <<< "$copy")" ]; then
    echo "::warning::the copy in $region ($ahead) is ahead of the backend ($behind) with this run's own state: the last update made it real and failed before publishing it, or the backend lags; this run retries that move"
    exit 0
  fi
  not=""
  if [ -n "$accept" ]; then not=" (accept-state-copy-sequence=$accept is not the copy's sequence)"; fi
  echo "::error::the state backend is behind: $summary$not. Wait for the state bucket's replication, or log in to the primary-region backend if it answers, then run again; if the copy cannot catch up (its update never replicated, or cannot be retried), check what is deployed and dispatch again with accept-state-copy-sequence=$ahead ($freshness)"
  exit 1
fi
if [ "$ahead" -lt "$behind" ]; then
  echo "::warning::the copy in $region ($ahead) is behind the backend ($behind): changed by hand, or the last update failed before writing it; the next update that moves the state writes it again"
fi
echo "the backend is current: sequence $behind"
