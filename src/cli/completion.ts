/**
 * Shell completion scripts, generated from the same command tables as the
 * help (commander has no completion of its own). Static: completing never
 * starts node, so a Tab costs nothing.
 */
import type { Command, Flag } from "./command.js";
import { GLOBAL_FLAGS } from "./flags.js";

export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

const entries = (flags: Readonly<Record<string, Flag>>) => Object.entries(flags);
const spellings = (name: string, f: Flag) => [`--${name}`, ...(f.short ? [`-${f.short}`] : [])];
/** Flags that take a file or directory: complete paths after them. */
const PATH_VALUES = new Set(["DIR", "FILE", "PATH"]);

function bash(commands: readonly Command[]): string {
  const globals = entries(GLOBAL_FLAGS);
  const valueFlags = (c: Command | undefined) => [...globals, ...(c ? entries(c.flags) : [])].filter(([, f]) => f.value !== undefined);
  const lines = commands.map((c) => {
    const words = [...globals, ...entries(c.flags)].flatMap(([n, f]) => spellings(n, f));
    const values = valueFlags(c)
      .map(([n, f]) => {
        const reply = f.choices ? `COMPREPLY=($(compgen -W "${f.choices.join(" ")}" -- "$cur"))` : PATH_VALUES.has(f.value!) ? `COMPREPLY=($(compgen -d -- "$cur"))` : "COMPREPLY=()";
        return `        ${spellings(n, f).join("|")}) ${reply}; return ;;`;
      })
      .join("\n");
    return `    ${c.name})\n      opts="${words.join(" ")}"\n      case "$prev" in\n${values}\n      esac ;;`;
  });
  const skip = valueFlags(undefined).flatMap(([n, f]) => spellings(n, f)).join("|");
  return `# dramake completion for bash: add to ~/.bashrc
#   source <(dramake completion bash)
_dramake() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmd="" opts="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in
      ${skip}) ((i++)) ;;
      -*) ;;
      *) cmd="\${COMP_WORDS[i]}"; break ;;
    esac
  done
  case "$cmd" in
    "")
      case "$prev" in ${skip}) COMPREPLY=($(compgen -d -- "$cur")); return ;; esac
      COMPREPLY=($(compgen -W "${[...commands.map((c) => c.name), "help"].join(" ")} ${globals.flatMap(([n, f]) => spellings(n, f)).join(" ")} --version" -- "$cur"))
      return ;;
    help) COMPREPLY=($(compgen -W "${commands.map((c) => c.name).join(" ")}" -- "$cur")); return ;;
${lines.join("\n")}
  esac
  if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$opts" -- "$cur")); else COMPREPLY=($(compgen -f -- "$cur")); fi
}
complete -o filenames -F _dramake dramake
`;
}

/** Single-quoted for zsh and fish: ' becomes '\''. */
const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
/** An _arguments description: brackets and colons would end it. */
const zdesc = (s: string) => s.replace(/[[\]]/g, "\\$&").replace(/:/g, "\\:");

function zsh(commands: readonly Command[]): string {
  const spec = (name: string, f: Flag) => {
    const names = spellings(name, f);
    const exclusive = names.length > 1 ? `(${names.join(" ")})` : "";
    const repeat = f.multiple ? "*" : "";
    const action = f.value === undefined ? "" : `:${f.value}:${f.choices ? `(${f.choices.join(" ")})` : PATH_VALUES.has(f.value) ? "_files -/" : " "}`;
    const body = `[${zdesc(f.description)}]${action}`;
    return names.length > 1 ? `${quote(repeat + exclusive)}{${names.join(",")}}${quote(body)}` : quote(`${repeat}${names[0]}${body}`);
  };
  const globals = entries(GLOBAL_FLAGS).map(([n, f]) => spec(n, f));
  const cases = commands.map((c) => {
    const args = c.args.map((a, i) => quote(`${i + 1}:${zdesc(a.description)}:${a.name === "project" || a.name === "dir" ? "_files" : " "}`));
    return `        ${c.name}) _arguments -s ${[...globals, ...entries(c.flags).map(([n, f]) => spec(n, f)), ...args].join(" ")} ;;`;
  });
  return `#compdef dramake
# dramake completion for zsh: add to ~/.zshrc (after compinit)
#   source <(dramake completion zsh)
# or save it as _dramake in a directory of $fpath.
_dramake() {
  local -a commands
  commands=(
${commands.map((c) => `    ${quote(`${c.name}:${c.summary}`)}`).join("\n")}
    'help:show a command'"'"'s help'
  )
  local curcontext="$curcontext" state line
  _arguments -C -s ${globals.join(" ")} '(- *)'{-V,--version}'[print the version]' '1: :->command' '*:: :->args'
  case $state in
    command) _describe -t commands 'dramake command' commands ;;
    args)
      case $line[1] in
        help) _describe -t commands 'dramake command' commands ;;
${cases.join("\n")}
      esac ;;
  esac
}
if [[ "\${zsh_eval_context[-1]}" == loadautofunc ]]; then _dramake "$@"; else compdef _dramake dramake; fi
`;
}

function fish(commands: readonly Command[]): string {
  const names = commands.map((c) => c.name).join(" ");
  const flag = (cond: string, name: string, f: Flag) => {
    const parts = ["complete -c dramake", ...(cond ? ["-n", quote(cond)] : []), ...(f.short ? ["-s", f.short] : []), "-l", name];
    if (f.value !== undefined) parts.push(f.choices ? `-xa ${quote(f.choices.join(" "))}` : PATH_VALUES.has(f.value) ? "-xa '(__fish_complete_directories)'" : "-x");
    parts.push("-d", quote(f.description));
    return parts.join(" ");
  };
  const lines = [
    "# dramake completion for fish: save as ~/.config/fish/completions/dramake.fish",
    "#   dramake completion fish > ~/.config/fish/completions/dramake.fish",
    "complete -c dramake -f",
    ...entries(GLOBAL_FLAGS).map(([n, f]) => flag("", n, f)),
    "complete -c dramake -n __fish_use_subcommand -s V -l version -d 'print the version'",
    ...commands.map((c) => `complete -c dramake -n __fish_use_subcommand -a ${c.name} -d ${quote(c.summary)}`),
    `complete -c dramake -n __fish_use_subcommand -a help -d ${quote("show a command's help")}`,
    `complete -c dramake -n '__fish_seen_subcommand_from help' -a ${quote(names)}`,
    ...commands.flatMap((c) => {
      const cond = `__fish_seen_subcommand_from ${c.name}`;
      const files = c.args.some((a) => a.name === "project" || a.name === "dir") ? [`complete -c dramake -n ${quote(cond)} -F`] : [];
      return [...files, ...entries(c.flags).map(([n, f]) => flag(cond, n, f))];
    }),
  ];
  return `${lines.join("\n")}\n`;
}

export function completionScript(shell: Shell, commands: readonly Command[]): string {
  switch (shell) {
    case "bash":
      return bash(commands);
    case "zsh":
      return zsh(commands);
    case "fish":
      return fish(commands);
  }
}
