"""`python -m toegang hash` asks for a password and prints its argon2 hash for secrets.toml."""
import getpass
import sys

from . import hash_wachtwoord


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] != "hash":
        print("Gebruik: python -m toegang hash", file=sys.stderr)
        return 2
    wachtwoord = getpass.getpass("Wachtwoord: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    if len(wachtwoord) < 12:
        print("Kies een wachtwoord van minstens 12 tekens.", file=sys.stderr)
        return 1
    print(hash_wachtwoord(wachtwoord))
    return 0


if __name__ == "__main__":
    sys.exit(main())
