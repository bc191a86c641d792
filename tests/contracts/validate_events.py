"""Validates qtrader events against the JSON Schemas of contracts/ with the
jsonschema package (Debian's python3-jsonschema, 4.10 or newer).

  validate_events.py CONTRACTS_DIR schemas
      every schema is a valid draft 2020-12 schema whose data fields are all
      described and closed (additionalProperties: false)
  validate_events.py CONTRACTS_DIR examples
      every contracts/examples/**/*.json instance is valid
  validate_events.py CONTRACTS_DIR invalid DIR
      every DIR/**/*.json instance is INVALID against the schema its
      "schema" field names (one negative instance per schema); prints each
      file's last error (where, and the keyword that refused it)
  validate_events.py CONTRACTS_DIR events FILE.jsonl
      every line is valid against the envelope and its type's schema, and
      line N is seq N (a whole run's export); prints the count of each type

Exit status 0 when everything is as expected, 1 otherwise (the first
failures are printed, each naming the file and line).
"""
import glob
import json
import os
import sys

import jsonschema

DRAFT = jsonschema.Draft202012Validator


def load_schemas(root):
    by_id, by_name = {}, {}
    for path in sorted(glob.glob(os.path.join(root, "**", "*.v*.json"), recursive=True)):
        if os.sep + "examples" + os.sep in path:
            continue
        with open(path) as f:
            schema = json.load(f)
        by_id[schema["$id"]] = schema
        name = os.path.basename(path)[: -len(".json")]  # fill.v1
        by_name[name] = (path, schema)
    return by_id, by_name


def make_validator(schema, by_id):
    try:  # jsonschema >= 4.18: the referencing registry
        from referencing import Registry, Resource

        registry = Registry().with_resources(
            (i, Resource.from_contents(s)) for i, s in by_id.items())
        return DRAFT(schema, registry=registry)
    except ImportError:  # Debian bookworm's 4.10: a resolver with a store
        resolver = jsonschema.RefResolver.from_schema(schema, store=by_id)
        return DRAFT(schema, resolver=resolver)


class Checker:
    def __init__(self, root):
        self.by_id, self.by_name = load_schemas(root)
        self.validators = {}
        self.failures = 0

    def validator(self, name):
        if name not in self.validators:
            if name not in self.by_name:
                return None
            self.validators[name] = make_validator(self.by_name[name][1], self.by_id)
        return self.validators[name]

    def errors(self, instance):
        """The instance's errors against the envelope and its type's schema."""
        def described(e):
            return f"{'/'.join(map(str, e.absolute_path)) or '(event)'}: {e.validator}: {e.message}"

        out = [described(e) for e in self.validator("envelope.v1").iter_errors(instance)]
        name = instance.get("schema") if isinstance(instance, dict) else None
        v = self.validator(name) if isinstance(name, str) else None
        if v is None:
            out.append(f"schema: no schema named {name!r}")
        else:
            out += [described(e) for e in v.iter_errors(instance)]
        return out

    def fail(self, where, message):
        self.failures += 1
        if self.failures <= 20:
            print(f"{where}: {message}")


def check_schemas(c):
    for name, (path, schema) in sorted(c.by_name.items()):
        try:
            DRAFT.check_schema(schema)
        except jsonschema.SchemaError as e:
            c.fail(path, f"not a valid draft 2020-12 schema: {e.message}")
        if schema.get("$schema") != "https://json-schema.org/draft/2020-12/schema":
            c.fail(path, "$schema is not draft 2020-12")
        if name == "envelope.v1":
            targets = [("envelope", schema)]
        else:
            targets = [("data", schema["properties"]["data"])]
        for what, s in targets:
            if s.get("additionalProperties") is not False:
                c.fail(path, f"{what}: additionalProperties is not false")
            for prop, p in s.get("properties", {}).items():
                if not p.get("description"):
                    c.fail(path, f"{what}.{prop}: no description")
    print(f"{len(c.by_name)} schemas")


def check_examples(c, root):
    examples = sorted(glob.glob(os.path.join(root, "examples", "**", "*.json"), recursive=True))
    named = set()
    for path in examples:
        with open(path) as f:
            instance = json.load(f)
        named.add(instance.get("schema"))
        for e in c.errors(instance):
            c.fail(path, e)
    missing = sorted(set(c.by_name) - {"envelope.v1"} - named)
    if missing:
        c.fail(os.path.join(root, "examples"), f"no example of {', '.join(missing)}")
    print(f"{len(examples)} examples")


def check_invalid(c, folder):
    paths = sorted(glob.glob(os.path.join(folder, "**", "*.json"), recursive=True))
    named = set()
    for path in paths:
        with open(path) as f:
            instance = json.load(f)
        named.add(instance.get("schema"))
        errors = c.errors(instance)
        if errors:
            # Where and which keyword: the messages' wording differs between versions.
            print(f"{os.path.relpath(path, folder)}: {': '.join(errors[-1].split(': ')[:2])}")
        else:
            c.fail(path, "is valid, but must not be")
    missing = sorted(set(c.by_name) - {"envelope.v1"} - named)
    if missing:
        c.fail(folder, f"no invalid instance of {', '.join(missing)}")
    print(f"{len(paths)} invalid instances refused")


def check_events(c, path):
    counts = {}
    with open(path) as f:
        for line_no, line in enumerate(f, 1):
            try:
                instance = json.loads(line)
            except json.JSONDecodeError as e:
                c.fail(f"{path}:{line_no}", f"not JSON: {e}")
                continue
            counts[instance.get("type")] = counts.get(instance.get("type"), 0) + 1
            if instance.get("seq") != line_no:  # the whole run, in seq order, no gaps
                c.fail(f"{path}:{line_no}", f"seq {instance.get('seq')} where {line_no} was due")
            for e in c.errors(instance):
                c.fail(f"{path}:{line_no}", f"seq {instance.get('seq')} ({instance.get('type')}): {e}")
    for t in sorted(counts, key=str):
        print(f"{t} {counts[t]}")


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    root, mode = argv[1], argv[2]
    c = Checker(root)
    if mode == "schemas":
        check_schemas(c)
    elif mode == "examples":
        check_examples(c, root)
    elif mode == "invalid":
        check_invalid(c, argv[3])
    elif mode == "events":
        check_events(c, argv[3])
    else:
        print(__doc__)
        return 2
    if c.failures:
        print(f"{c.failures} failures")
    return 1 if c.failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
