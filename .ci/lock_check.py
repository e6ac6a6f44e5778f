"""Fail when the lock file does not pin what pyproject.toml asks for: a
dependency changed without `make lock` would otherwise install something
other than what CI tested."""

import re
import sys
import tomllib


def pins(lines) -> dict[str, str]:
    found = {}
    for line in lines:
        if match := re.match(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;#]+)", line.strip()):
            found[re.sub(r"[-_.]+", "-", match[1]).lower()] = match[2]
    return found


def main(project: str, lock: str) -> int:
    with open(project, "rb") as file:
        config = tomllib.load(file)["project"]
    wanted = pins(config["dependencies"] + config["optional-dependencies"]["test"])
    with open(lock) as file:
        locked = pins(file)
    wrong = [
        f"{name}=={version} (lock: {locked.get(name, 'missing')})"
        for name, version in wanted.items()
        if locked.get(name) != version
    ]
    if wrong:
        print(f"{lock} does not match {project}; run `make lock`:", *wrong, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
