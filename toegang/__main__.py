"""`python -m toegang hash` asks for a password and prints its argon2 hash for secrets.toml."""
import getpass
import sys

from opdrachtregel import Parser

from . import hash_wachtwoord


def main(argv: list[str] | None = None) -> int:
    parser = Parser(prog="python -m toegang", description="Accounts van medewerkers voorbereiden.")
    sub = parser.add_subparsers(required=True)
    sub.add_parser("hash", help="vraag een wachtwoord en toon de argon2-hash (voor wachtwoord_hash)",
                   description="Vraagt een wachtwoord (zonder terminal: één regel van stdin) en toont de "
                               "argon2-hash, voor wachtwoord_hash in het accountbestand.")
    parser.parse_args(argv)
    wachtwoord = getpass.getpass("Wachtwoord: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    if len(wachtwoord) < 12:
        print("Kies een wachtwoord van minstens 12 tekens.", file=sys.stderr)
        return 1
    print(hash_wachtwoord(wachtwoord))
    return 0


if __name__ == "__main__":
    sys.exit(main())
