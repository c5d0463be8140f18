#!/usr/bin/env node
// Generates tools/replacements/replacements.json: for every custom resource type the program
// registers, which top-level inputs make the bridged Terraform provider REPLACE the resource
// (`replaces`: the attribute itself is ForceNew / RequiresReplace) and which may (`mayReplace`: a
// nested attribute is ForceNew / RequiresReplace, or a CustomizeDiff / ModifyPlan /
// RequiresReplaceIf... decides at plan time). Read from the providers' Go source in git
// directories (as the search tool's `fetch` brings them), with regexes and brace matching; what it
// cannot decide it says in the entry's `notes`, never guessing silently.
//
// Usage:
//   node tools/replacements/generate.mjs \
//     --aws-git <git dir> --aws-rev <rev> --aws-wanted <text> \
//     --random-git <git dir> --random-rev <rev> --random-wanted <text>
//
// Pulumi input names are checked against the installed SDKs' `<Resource>Args` interfaces
// (node_modules/@pulumi/aws, node_modules/@pulumi/random): a Terraform attribute becomes the
// Args property of its camelCase name, or of its plural for a list/set block (as the bridge
// names them), or of an explicit rename below; anything else is reported in `notes`.
//
// A type the source read does not register keeps its entry in the existing table if that entry's
// notes say it was written (or read) by hand from a newer source; otherwise it is undecided.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const OUT = join(ROOT, "tools", "replacements", "replacements.json");

/**
 * Pulumi type token -> Terraform resource name, for the types the program registers. pulumi-aws's
 * provider/resources.go could not be read here (its snapshot is over the fetch limit), so the
 * map is written out; each name is checked to be registered in the source read.
 */
const TOKENS = {
  "aws:arcregionswitch/plan:Plan": "aws_arcregionswitch_plan",
  "aws:autoscaling/group:Group": "aws_autoscaling_group",
  "aws:autoscaling/policy:Policy": "aws_autoscaling_policy",
  "aws:backup/framework:Framework": "aws_backup_framework",
  "aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault":
    "aws_backup_logically_air_gapped_vault",
  "aws:backup/plan:Plan": "aws_backup_plan",
  "aws:backup/reportPlan:ReportPlan": "aws_backup_report_plan",
  "aws:backup/restoreTestingPlan:RestoreTestingPlan":
    "aws_backup_restore_testing_plan",
  "aws:backup/restoreTestingSelection:RestoreTestingSelection":
    "aws_backup_restore_testing_selection",
  "aws:backup/selection:Selection": "aws_backup_selection",
  "aws:backup/vault:Vault": "aws_backup_vault",
  "aws:backup/vaultLockConfiguration:VaultLockConfiguration":
    "aws_backup_vault_lock_configuration",
  "aws:cloudwatch/eventRule:EventRule": "aws_cloudwatch_event_rule",
  "aws:cloudwatch/eventTarget:EventTarget": "aws_cloudwatch_event_target",
  "aws:cloudwatch/logGroup:LogGroup": "aws_cloudwatch_log_group",
  "aws:cloudwatch/metricAlarm:MetricAlarm": "aws_cloudwatch_metric_alarm",
  "aws:ec2/amiCopy:AmiCopy": "aws_ami_copy",
  "aws:ec2/launchTemplate:LaunchTemplate": "aws_launch_template",
  "aws:ec2/route:Route": "aws_route",
  "aws:ec2/securityGroup:SecurityGroup": "aws_security_group",
  "aws:ec2/vpcPeeringConnection:VpcPeeringConnection":
    "aws_vpc_peering_connection",
  "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter":
    "aws_vpc_peering_connection_accepter",
  "aws:iam/instanceProfile:InstanceProfile": "aws_iam_instance_profile",
  "aws:iam/role:Role": "aws_iam_role",
  "aws:iam/rolePolicy:RolePolicy": "aws_iam_role_policy",
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
    "aws_iam_role_policy_attachment",
  "aws:iam/serviceLinkedRole:ServiceLinkedRole": "aws_iam_service_linked_role",
  "aws:kms/key:Key": "aws_kms_key",
  "aws:lambda/function:Function": "aws_lambda_function",
  "aws:lb/listener:Listener": "aws_lb_listener",
  "aws:lb/loadBalancer:LoadBalancer": "aws_lb",
  "aws:lb/targetGroup:TargetGroup": "aws_lb_target_group",
  "aws:ram/principalAssociation:PrincipalAssociation":
    "aws_ram_principal_association",
  "aws:ram/resourceAssociation:ResourceAssociation":
    "aws_ram_resource_association",
  "aws:ram/resourceShare:ResourceShare": "aws_ram_resource_share",
  "aws:rds/cluster:Cluster": "aws_rds_cluster",
  "aws:rds/clusterInstance:ClusterInstance": "aws_rds_cluster_instance",
  "aws:rds/clusterParameterGroup:ClusterParameterGroup":
    "aws_rds_cluster_parameter_group",
  "aws:rds/globalCluster:GlobalCluster": "aws_rds_global_cluster",
  "aws:rds/instance:Instance": "aws_db_instance",
  "aws:rds/parameterGroup:ParameterGroup": "aws_db_parameter_group",
  "aws:rds/subnetGroup:SubnetGroup": "aws_db_subnet_group",
  "aws:resiliencehub/resiliencyPolicy:ResiliencyPolicy":
    "aws_resiliencehub_resiliency_policy",
  "aws:route53/healthCheck:HealthCheck": "aws_route53_health_check",
  "aws:route53/record:Record": "aws_route53_record",
  "aws:s3/bucket:Bucket": "aws_s3_bucket",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration":
    "aws_s3_bucket_lifecycle_configuration",
  "aws:s3/bucketLogging:BucketLogging": "aws_s3_bucket_logging",
  "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration":
    "aws_s3_bucket_object_lock_configuration",
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls":
    "aws_s3_bucket_ownership_controls",
  "aws:s3/bucketPolicy:BucketPolicy": "aws_s3_bucket_policy",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":
    "aws_s3_bucket_public_access_block",
  "aws:s3/bucketReplicationConfig:BucketReplicationConfig":
    "aws_s3_bucket_replication_configuration",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration":
    "aws_s3_bucket_server_side_encryption_configuration",
  "aws:s3/bucketVersioning:BucketVersioning": "aws_s3_bucket_versioning",
  "aws:scheduler/schedule:Schedule": "aws_scheduler_schedule",
  "aws:sns/topic:Topic": "aws_sns_topic",
  "aws:sns/topicPolicy:TopicPolicy": "aws_sns_topic_policy",
  "aws:sns/topicSubscription:TopicSubscription": "aws_sns_topic_subscription",
  "aws:ssm/parameter:Parameter": "aws_ssm_parameter",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule":
    "aws_vpc_security_group_egress_rule",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":
    "aws_vpc_security_group_ingress_rule",
  "random:index/randomPassword:RandomPassword": "random_password",
};

/** Terraform attribute -> Pulumi input where pulumi-aws renames it (resources.go `Fields`). */
const RENAMES = {
  aws_cloudwatch_metric_alarm: { alarm_name: "name" },
  aws_lambda_function: { function_name: "name" },
};

// ---------------------------------------------------------------------------------------------
// Arguments and git

function args() {
  const out = {};
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith("--") || argv[i + 1] === undefined)
      throw new Error(
        `usage: see the header of ${fileURLToPath(import.meta.url)}`,
      );
    out[argv[i].slice(2)] = argv[i + 1];
  }
  for (const k of ["aws-git", "aws-rev", "random-git", "random-rev"])
    if (!out[k]) throw new Error(`--${k} is required`);
  return out;
}

function git(dir, ...a) {
  return execFileSync("git", ["--git-dir", dir, ...a], {
    encoding: "utf8",
    maxBuffer: 1 << 28,
    stdio: ["ignore", "pipe", "ignore"],
  });
}

class Source {
  constructor(dir, rev) {
    this.dir = dir;
    this.commit = git(dir, "rev-parse", `${rev}^{commit}`).trim();
    this.files = git(dir, "ls-tree", "-r", "--name-only", this.commit)
      .split("\n")
      .filter((f) => f.endsWith(".go") && !f.endsWith("_test.go"));
    this.cache = new Map();
  }
  read(path) {
    if (!this.cache.has(path))
      this.cache.set(path, git(this.dir, "show", `${this.commit}:${path}`));
    return this.cache.get(path);
  }
  /** Files whose text matches, searched with git grep at the commit. */
  grep(pattern, under) {
    try {
      return git(
        this.dir,
        "grep",
        "-l",
        "-E",
        pattern,
        this.commit,
        "--",
        `${under}/*.go`,
      )
        .split("\n")
        .filter(Boolean)
        .map((l) => l.slice(this.commit.length + 1))
        .filter((f) => !f.endsWith("_test.go"));
    } catch {
      return [];
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Go text: brace matching that skips strings, runes and comments

/** Index of the bracket closing the one at `open`. */
function closing(text, open) {
  const pairs = { "{": "}", "(": ")", "[": "]" };
  const stack = [];
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "/" && text[i + 1] === "/") {
      i = text.indexOf("\n", i);
      if (i < 0) return -1;
    } else if (c === "/" && text[i + 1] === "*") {
      i = text.indexOf("*/", i + 2) + 1;
    } else if (c === '"' || c === "'") {
      for (i++; i < text.length && text[i] !== c; i++)
        if (text[i] === "\\") i++;
    } else if (c === "`") {
      i = text.indexOf("`", i + 1);
    } else if (pairs[c]) stack.push(pairs[c]);
    else if (c === "}" || c === ")" || c === "]") {
      if (stack.pop() !== c) return -1;
      if (stack.length === 0) return i;
    }
  }
  return -1;
}

/** Text with comments and string contents blanked (same length), for searching code only. */
const CODE = new Map();
function codeOnly(text) {
  if (CODE.has(text)) return CODE.get(text);
  const result = codeOnlyUncached(text);
  if (text.length > 2000) CODE.set(text, result);
  return result;
}
function codeOnlyUncached(text) {
  const out = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "/" && text[i + 1] === "/") {
      const j = text.indexOf("\n", i);
      const end = j < 0 ? text.length : j;
      out.push(" ".repeat(end - i));
      i = end - 1;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2) + 2;
      out.push(text.slice(i, end).replace(/[^\n]/g, " "));
      i = end - 1;
    } else if (c === "`") {
      const end = text.indexOf("`", i + 1);
      out.push("`" + text.slice(i + 1, end).replace(/[^\n]/g, " ") + "`");
      i = end;
    } else out.push(c);
  }
  return out.join("");
}

/**
 * The top-level entries of a Go map composite literal body `{ key: value, ... }` (from the index
 * of its `{`): [key text, value text].
 */
function entries(text, open) {
  const end = closing(text, open);
  const result = [];
  let i = open + 1;
  while (i < end) {
    const m = /\s*(?:\/\/[^\n]*\n\s*)*("[^"]*"|[A-Za-z_][\w.]*)\s*:\s*/y;
    m.lastIndex = i;
    const km = m.exec(text);
    if (!km || km.index >= end) break;
    let j = m.lastIndex;
    const start = j;
    // the value runs to the comma at depth 0
    for (; j < end; j++) {
      const c = text[j];
      if ("{([".includes(c)) j = closing(text, j);
      else if (c === '"' || c === "'") {
        for (j++; text[j] !== c; j++) if (text[j] === "\\") j++;
      } else if (c === "`") j = text.indexOf("`", j + 1);
      else if (c === "/" && text[j + 1] === "/") j = text.indexOf("\n", j);
      else if (c === ",") break;
    }
    result.push([km[1], text.slice(start, j)]);
    i = j + 1;
  }
  return result;
}

/** Go function declarations of a package's files: name -> body text. */
const FUNCTIONS = new Map();
function functionsOf(texts) {
  if (texts.length === 1 && FUNCTIONS.has(texts[0]))
    return FUNCTIONS.get(texts[0]);
  const fns = new Map();
  for (const text of texts) {
    const code = codeOnly(text);
    const re = /^func\s+(?:\([^)]*\)\s*)?(\w+)\s*\(/gm;
    let m;
    while ((m = re.exec(code))) {
      const brace = code.indexOf("{", closing(code, re.lastIndex - 1));
      const end = closing(code, brace);
      if (brace < 0 || end < 0) continue;
      const body = text.slice(brace, end + 1);
      const key = m[1];
      // methods of several types may share a name: keep them all
      fns.set(key, fns.has(key) ? `${fns.get(key)}\n${body}` : body);
    }
  }
  if (texts.length === 1) FUNCTIONS.set(texts[0], fns);
  return fns;
}

// ---------------------------------------------------------------------------------------------
// Schemas

const GO_BUILTINS = new Set([
  "append",
  "len",
  "make",
  "new",
  "string",
  "int",
  "map",
  "func",
  "true",
  "false",
  "nil",
]);
const STRING_CONST = /^\s*(\w+)\s*=\s*"([^"]*)"/gm;

/** names.AttrXxx (terraform-provider-aws's attribute name constants) -> "xxx". */
function attrConstants(src) {
  const consts = new Map();
  for (const f of src.files.filter((f) => /^names\/[^/]+\.go$/.test(f))) {
    for (const m of src.read(f).matchAll(STRING_CONST))
      consts.set(`names.${m[1]}`, m[2]);
  }
  return consts;
}

/**
 * One Terraform resource's replacement facts: attribute -> "always" | "nested" | "conditional",
 * plus notes. `kind` is "sdk" or "framework".
 */
function analyse(src, file, tfName, consts) {
  const notes = [];
  const pkg = dirname(file);
  const text = src.read(file);
  const fnCache = new Map();
  const fns = {
    has: (name) => fns.get(name) !== undefined,
    get: (name) => {
      if (!fnCache.has(name)) {
        let body;
        if (/^[A-Za-z_]\w*$/.test(name) && !GO_BUILTINS.has(name)) {
          const inFile = functionsOf([text]).get(name);
          body = inFile;
          if (body === undefined)
            for (const f of src.grep(`^func (\\([^)]*\\) )?${name}\\(`, pkg)) {
              body = functionsOf([src.read(f)]).get(name);
              if (body !== undefined) break;
            }
        }
        fnCache.set(name, body);
      }
      return fnCache.get(name);
    },
  };
  const keyName = (k) => {
    if (k.startsWith('"')) return k.slice(1, -1);
    if (consts.has(k)) return consts.get(k);
    const local = new RegExp(`\\b${k}\\s*=\\s*"([^"]*)"`).exec(
      [
        text,
        ...src.grep(`\\b${k}\\s*=\\s*"`, pkg).map((f) => src.read(f)),
      ].join("\n"),
    );
    if (local) return local[1];
    notes.push(`attribute key ${k} could not be resolved to a name`);
    return undefined;
  };
  const facts = new Map();
  const mark = (attr, how) => {
    const rank = { always: 3, conditional: 2, nested: 1 };
    if (!facts.has(attr) || rank[how] > rank[facts.get(attr)])
      facts.set(attr, how);
  };
  const inputs = new Map(); // attr -> { block: boolean, computedOnly: boolean }

  /** Resolves a value that is a call of a package function to that function's body. */
  const expand = (value, depth = 0) => {
    if (depth > 3 || value.length > 400000) return value;
    return value.replace(/(?<![.\w])([A-Za-z]\w*)\(\)/g, (call, name) => {
      const body = fns.get(name);
      return body ? `${call}${expand(body, depth + 1)}` : call;
    });
  };

  const isFramework =
    /@FrameworkResource|resource\.ResourceWithConfigure|framework\.ResourceWith|resource\.Resource\b/.test(
      text,
    ) && /resp\.Schema\s*=/.test(text);

  if (!isFramework) {
    // SDKv2: the resource function's Schema (or SchemaFunc) map.
    const code = codeOnly(text);
    const at = code.search(
      /(?:Schema:\s*map\[string\]\*schema\.Schema\s*|return\s+map\[string\]\*schema\.Schema\s*)\{/,
    );
    if (at < 0) {
      notes.push("no SDKv2 schema map found in the file");
      return { facts, inputs, notes, kind: "sdk" };
    }
    const open = code.indexOf("{", at);
    for (const [k, rawValue] of entries(text, open)) {
      const attr = keyName(k);
      if (!attr) continue;
      const value = expand(rawValue);
      const c = codeOnly(value);
      if (!/^\s*\{/.test(c) && !/Schema\{/.test(c)) {
        if (
          !/^\s*(tftags|verify|sdkv2)\./.test(c) &&
          !fns.has((c.match(/(\w+)\(/) || [])[1])
        )
          notes.push(`${attr}: schema from ${c.trim()} (not read): undecided`);
      }
      const own = depthOneFields(c);
      const computedOnly =
        /\bComputed:\s*true/.test(own) &&
        !/\b(Optional|Required):\s*true/.test(own);
      const block =
        /Type:\s*schema\.Type(List|Set)/.test(own) &&
        !/MaxItems:\s*1\b/.test(own);
      inputs.set(attr, { block, computedOnly });
      if (/\bForceNew:\s*true/.test(own)) mark(attr, "always");
      else if (/\bForceNew:\s*true/.test(c)) mark(attr, "nested");
    }
    // CustomizeDiff: ForceNew calls in the functions it names (and the file's own ForceNew calls).
    const cd = /CustomizeDiff:\s*/.exec(code);
    if (cd) {
      const start = cd.index + cd[0].length;
      let end = start;
      const paren = code.indexOf("(", start);
      const comma = code.indexOf(",", start);
      end = paren >= 0 && paren < comma ? closing(code, paren) : comma;
      const expr = text.slice(start, end + 1);
      const bodies = [expr];
      const seen = new Set();
      const visit = (s, depth) => {
        for (const [, name] of s.matchAll(/\b(\w+)\b/g)) {
          if (seen.has(name) || !fns.has(name) || depth > 3) continue;
          seen.add(name);
          bodies.push(fns.get(name));
          visit(fns.get(name), depth + 1);
        }
      };
      visit(expr, 0);
      const all = bodies.join("\n");
      for (const m of all.matchAll(
        /ForceNew(?:If|IfChange)?\(\s*("[^"]*"|[\w.]+)/g,
      )) {
        const name = keyName(m[1]);
        if (name === undefined)
          notes.push(
            `CustomizeDiff forces a replacement on ${m[1]}: undecided`,
          );
        else mark(name.split(".")[0], "conditional");
      }
      const external = [...expr.matchAll(/\b(\w+)\.(\w+)\(/g)]
        .map((m) => `${m[1]}.${m[2]}`)
        .filter(
          (n) =>
            !/^(customdiff\.(Sequence|All|If|IfValue|IfValueChange|ValidateChange|ValidateValue|ForceNewIf|ForceNewIfChange)|verify\.SetTagsDiff)$/.test(
              n,
            ),
        );
      if (external.length)
        notes.push(
          `CustomizeDiff calls ${[...new Set(external)].sort().join(", ")} (outside the package, not read)`,
        );
    }
    return { facts, inputs, notes, kind: "sdk" };
  }

  // Plugin Framework: the Schema method's resp.Schema literal (or the function it returns).
  const code = codeOnly(text);
  const m = /resp\.Schema\s*=\s*/.exec(code);
  let schemaText = text.slice(m.index + m[0].length);
  const call = /^(\w+)\(\)/.exec(schemaText);
  if (call && fns.has(call[1])) schemaText = fns.get(call[1]);
  const attrsAt = codeOnly(schemaText).search(
    /Attributes:\s*map\[string\]schema\.Attribute\s*\{/,
  );
  const top =
    attrsAt >= 0
      ? closing(schemaText, codeOnly(schemaText).indexOf("{", attrsAt))
      : -1;
  const sections = [];
  if (attrsAt >= 0) sections.push(codeOnly(schemaText).indexOf("{", attrsAt));
  // Blocks at the same level as Attributes: the first Blocks map after the Attributes map.
  const blocksRe = /Blocks:\s*map\[string\]schema\.Block\s*\{/g;
  blocksRe.lastIndex = top > 0 ? top : 0;
  const b = blocksRe.exec(codeOnly(schemaText));
  if (
    b &&
    depthAt(codeOnly(schemaText), b.index) ===
      depthAt(codeOnly(schemaText), attrsAt)
  )
    sections.push(codeOnly(schemaText).indexOf("{", b.index));
  if (!sections.length) notes.push("no framework schema Attributes map found");
  for (const open of sections) {
    for (const [k, rawValue] of entries(schemaText, open)) {
      const attr = keyName(k);
      if (!attr) continue;
      const value = expand(rawValue);
      const c = codeOnly(value);
      const own = depthOneFields(c.replace(/^[^{]*/, ""));
      const isBlock =
        /^\s*schema\.(List|Set)NestedBlock/.test(c) ||
        /^\s*schema\.(List|Set)(Nested)?Attribute/.test(c);
      const computedOnly =
        /\bComputed:\s*true/.test(own) &&
        !/\b(Optional|Required):\s*true/.test(own);
      if (!/^\s*schema\.\w+\{/.test(c) && !/^\s*\w+\(\)\{/.test(c)) {
        // helpers: framework.IDAttribute(), tftags.TagsAttribute(), ...
        if (
          !/^\s*(framework\.(IDAttribute|ARNAttributeComputedOnly)|tftags\.(Tags|TagsComputed)Attribute)\(\)/.test(
            c,
          )
        )
          notes.push(
            `${attr}: schema from ${c.trim().slice(0, 60)} (not read): undecided`,
          );
        inputs.set(attr, {
          block: false,
          computedOnly: /Computed|IDAttribute/.test(c),
        });
        continue;
      }
      inputs.set(attr, {
        block: isBlock && /List|Set/.test(c.slice(0, 40)),
        computedOnly,
      });
      if (/\bRequiresReplace\(\)/.test(own)) mark(attr, "always");
      else if (/\bRequiresReplaceIf\w*\(/.test(own)) mark(attr, "conditional");
      else if (/\bRequiresReplace(If\w*)?\(/.test(c)) mark(attr, "nested");
    }
  }
  // ModifyPlan may ask for a replacement on paths.
  const mp = fns.get("ModifyPlan");
  if (mp && /RequiresReplace/.test(mp)) {
    for (const r of mp.matchAll(/path\.Root\(\s*("[^"]*"|[\w.]+)\s*\)/g)) {
      const name = keyName(r[1]);
      if (name) mark(name, "conditional");
    }
  }
  return { facts, inputs, notes, kind: "framework" };
}

/** The text of a composite literal with its nested literals blanked: its own fields only. */
function depthOneFields(value) {
  const open = value.indexOf("{");
  if (open < 0) return value;
  const end = closing(value, open);
  let out = "";
  for (let i = open + 1; i < end; i++) {
    if ("{([".includes(value[i])) {
      const j = closing(value, i);
      // keep calls' names and plan modifier lists' direct calls (RequiresReplace())
      const inner = value.slice(i, j + 1);
      out +=
        value[i] === "("
          ? inner
          : value[i] === "{" &&
              /^\{\s*(\w+\.)?\w+\([^{}]*\)\s*,?\s*(\s*(\w+\.)?\w+\([^{}]*\)\s*,?\s*)*\}$/.test(
                inner,
              )
            ? inner
            : "{}";
      i = j;
    } else out += value[i];
  }
  return out;
}

function depthAt(code, index) {
  let d = 0;
  for (let i = 0; i < index; i++) {
    if (code[i] === "{") d++;
    else if (code[i] === "}") d--;
  }
  return d;
}

// ---------------------------------------------------------------------------------------------
// Pulumi input names, from the installed SDK

function argsOf(token) {
  const [pkg, mod] = token.split(":");
  const [dir, file] = mod.split("/");
  const name = token.split(":")[2];
  const base = join(ROOT, "node_modules", "@pulumi", pkg);
  const path =
    dir === "index"
      ? join(base, `${file}.d.ts`)
      : join(base, dir, `${file}.d.ts`);
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, "utf8");
  const at = text.indexOf(`export interface ${name}Args {`);
  if (at < 0) return undefined;
  const body = text.slice(at, text.indexOf("\n}", at));
  return new Set(
    [...body.matchAll(/^\s{4}(?:readonly )?(\w+)\??:/gm)].map((m) => m[1]),
  );
}

const camel = (s) => s.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
function plural(s) {
  if (/(s|x|ch|sh)$/.test(s)) return `${s}es`;
  if (/[^aeiou]y$/.test(s)) return `${s.slice(0, -1)}ies`;
  return `${s}s`;
}

function pulumiName(tfName, attr, info, args) {
  const renamed = RENAMES[tfName]?.[attr];
  const candidates = [renamed, camel(attr), camel(plural(attr))].filter(
    Boolean,
  );
  if (info?.block) candidates.reverse();
  return candidates.find((c) => args.has(c));
}

// ---------------------------------------------------------------------------------------------

function locate(src, tfName) {
  const anno = src.grep(`@(SDK|Framework)Resource\\("${tfName}"`, "internal");
  if (anno.length === 1) return anno[0];
  // Older sources register resources in service_package_gen.go: find the factory's file.
  for (const gen of src.grep(`TypeName:\\s*"${tfName}"`, "internal")) {
    const text = src.read(gen);
    const at = text.indexOf(`"${tfName}"`);
    const block = text.slice(text.lastIndexOf("{", at), text.indexOf("}", at));
    const factory = /Factory:\s*(\w+)/.exec(block)?.[1];
    if (!factory) continue;
    const files = src.grep(`func (\\([^)]*\\) )?${factory}\\(`, dirname(gen));
    if (files.length === 1) return files[0];
  }
  if (tfName.startsWith("random_")) {
    const files = src.grep(
      `"${tfName}"|_${tfName.slice("random_".length)}"`,
      "internal",
    );
    const res = files.filter((f) => /resource_/.test(f));
    if (res.length) return res[0];
  }
  return undefined;
}

function main() {
  const a = args();
  const sources = {
    aws: new Source(a["aws-git"], a["aws-rev"]),
    random: new Source(a["random-git"], a["random-rev"]),
  };
  const consts = attrConstants(sources.aws);
  const kept = existsSync(OUT)
    ? JSON.parse(readFileSync(OUT, "utf8")).types
    : {};
  const types = {};
  for (const token of Object.keys(TOKENS).sort()) {
    const tfName = TOKENS[token];
    const src = token.startsWith("random:") ? sources.random : sources.aws;
    const entry = {
      terraform: tfName,
      file: null,
      replaces: [],
      mayReplace: [],
    };
    types[token] = entry;
    const file = locate(src, tfName);
    const args = argsOf(token);
    const notes = [];
    if (!args) notes.push("no Args interface found in the installed SDK");
    if (!file && /(written|read) by hand/.test(kept[token]?.notes?.join(" "))) {
      types[token] = kept[token]; // an entry read by hand from a newer source: keep it
      continue;
    }
    if (!file) {
      notes.push(
        `${tfName} is not registered in the source read (${src.commit}): undecided, treat every input as possibly replacing`,
      );
      entry.notes = notes;
      continue;
    }
    entry.file = file;
    const {
      facts,
      inputs,
      notes: found,
    } = analyse(
      src,
      file,
      tfName,
      token.startsWith("random:") ? new Map() : consts,
    );
    notes.push(...found);
    const replaces = new Set();
    const may = new Set();
    for (const [attr, how] of facts) {
      const info = inputs.get(attr);
      if (info?.computedOnly) continue;
      const name = args ? pulumiName(tfName, attr, info, args) : undefined;
      if (!name) {
        notes.push(
          `${attr} (${how === "always" ? "forces replacement" : "may force replacement"}) has no Pulumi input of that name`,
        );
        continue;
      }
      (how === "always" ? replaces : may).add(name);
    }
    for (const r of replaces) may.delete(r);
    if (args) {
      const mapped = new Set(
        [...inputs]
          .map(([attr, info]) => pulumiName(tfName, attr, info, args))
          .filter(Boolean),
      );
      const unknown = [...args].filter((n) => !mapped.has(n) && n !== "region");
      if (unknown.length)
        notes.push(
          `inputs not in the source read, undecided: ${unknown.sort().join(", ")}`,
        );
      if (
        token.startsWith("aws:") &&
        args.has("region") &&
        !inputs.has("region")
      )
        notes.push(
          "region: injected by the provider, not in the resource's schema here: undecided",
        );
    }
    entry.replaces = [...replaces].sort();
    entry.mayReplace = [...may].sort();
    if (notes.length) entry.notes = [...new Set(notes)].sort();
  }
  const out = {
    generatedBy: "tools/replacements/generate.mjs",
    sources: {
      aws: {
        pulumiPackage: "@pulumi/aws@7.48.0",
        repository: "hashicorp/terraform-provider-aws",
        wanted: a["aws-wanted"] ?? "",
        used: sources.aws.commit,
      },
      random: {
        pulumiPackage: "@pulumi/random@4.21.2",
        repository: "hashicorp/terraform-provider-random",
        wanted: a["random-wanted"] ?? "",
        used: sources.random.commit,
      },
    },
    types,
  };
  writeFileSync(OUT, `${JSON.stringify(sortKeys(out), null, 2)}\n`);
  console.log(`wrote ${OUT}: ${Object.keys(types).length} types`);
}

function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object")
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys(v[k])]),
    );
  return v;
}

main();
