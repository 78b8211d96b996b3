/**
 * The step graph as text: Mermaid (renders on GitHub and in most editors) or
 * Graphviz DOT. Nodes are labelled by step id and grouped by their top-level
 * folder (cast, scene/<id>), so a drama reads as one lane per scene.
 */
export interface GraphNode {
  readonly id: string;
  readonly kind: string;
  readonly inputs: readonly string[];
}

export type GraphFormat = "mermaid" | "dot";

/** `scene/the-call/clip` → `scene/the-call`; `cast/wei/portrait` → `cast`; `final` → `` */
function groupOf(id: string): string {
  const parts = id.split("/");
  if (parts[0] === "scene" && parts.length > 2) return `scene/${parts[1]}`;
  return parts.length > 1 ? parts[0]! : "";
}

function groups(nodes: readonly GraphNode[]): Map<string, GraphNode[]> {
  const byGroup = new Map<string, GraphNode[]>();
  for (const n of nodes) {
    const g = groupOf(n.id);
    byGroup.set(g, [...(byGroup.get(g) ?? []), n]);
  }
  return byGroup;
}

function mermaid(nodes: readonly GraphNode[]): string {
  const ref = new Map(nodes.map((n, i) => [n.id, `s${i}`]));
  const label = (n: GraphNode) => `${ref.get(n.id)}["${n.id.replace(/"/g, "#quot;")}"]`;
  const out = ["flowchart LR"];
  for (const [group, members] of groups(nodes)) {
    if (group) out.push(`  subgraph ${ref.get(members[0]!.id)}g["${group}"]`);
    for (const n of members) out.push(`${group ? "    " : "  "}${label(n)}`);
    if (group) out.push("  end");
  }
  for (const n of nodes) for (const input of n.inputs) if (ref.has(input)) out.push(`  ${ref.get(input)} --> ${ref.get(n.id)}`);
  return `${out.join("\n")}\n`;
}

function dot(nodes: readonly GraphNode[]): string {
  const q = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
  const out = ["digraph dramake {", "  rankdir=LR;", "  node [shape=box, fontname=Helvetica];"];
  let cluster = 0;
  for (const [group, members] of groups(nodes)) {
    const indent = group ? "    " : "  ";
    if (group) out.push(`  subgraph cluster_${cluster++} {`, `    label=${q(group)};`);
    for (const n of members) out.push(`${indent}${q(n.id)} [label=${q(n.id).slice(0, -1)}\\n(${n.kind})"];`);
    if (group) out.push("  }");
  }
  for (const n of nodes) for (const input of n.inputs) out.push(`  ${q(input)} -> ${q(n.id)};`);
  out.push("}");
  return `${out.join("\n")}\n`;
}

export function renderGraph(nodes: readonly GraphNode[], format: GraphFormat): string {
  return format === "dot" ? dot(nodes) : mermaid(nodes);
}
