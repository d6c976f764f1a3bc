#!/usr/bin/env python3
"""Turn sim/models/*.json into one C file of NUL-terminated byte arrays.

Output: a table `const embedded_model_t EMBEDDED_MODELS[]` named by service key.
Used by the Makefile; the generated file lives under build/ and is never committed.
"""
import os, sys

def main(out, paths):
    with open(out, "w") as f:
        f.write('#include "proto/model.h"\n')
        names = []
        for i, p in enumerate(sorted(paths)):
            name = os.path.splitext(os.path.basename(p))[0]
            data = open(p, "rb").read() + b"\0"
            f.write(f"static const unsigned char model_{i}[{len(data)}] = {{")
            for j, b in enumerate(data):
                if j % 24 == 0:
                    f.write("\n")
                f.write(f"{b},")
            f.write("\n};\n")
            names.append((name, i, len(data) - 1))
        f.write("const embedded_model_t EMBEDDED_MODELS[] = {\n")
        for name, i, n in names:
            f.write(f'    {{"{name}", (const char *)model_{i}, {n}}},\n')
        f.write("    {0, 0, 0}};\n")

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
