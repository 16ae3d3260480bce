/** The shape of a CLI command module. */
export interface Command {
  /** One line for `taubp --help`. */
  summary: string;
  /** Full usage text for `taubp <command> --help`. */
  usage: string;
  /** Runs the command; resolves to the exit status. */
  run(argv: string[]): Promise<number>;
}
