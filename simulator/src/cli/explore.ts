// Placeholder for `landlock-sim explore`, replaced by the interleaving explorer's command.

export async function exploreCommand(argv: string[]): Promise<number> {
  void argv;
  console.error("explore: not built yet");
  return 2;
}
