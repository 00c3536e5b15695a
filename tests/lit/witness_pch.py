"""Precompiles the witnesses' prefix (witness_prefix.hpp) for one set of
compile flags, so that each of the ~200 witness compiles of a fixture run
reads chan and the standard headers from an AST file instead of parsing them
(measured: 3.0 -> 1.6 s CPU per native compile, 3.5 -> 2.3 s under TSan).

The PCH is rebuilt when it is missing or older than any file it was built
from (the dependency list clang writes with it), and written atomically: lit
runs side by side under ctest share it. If it cannot be built the witnesses
compile without it, as before."""
import hashlib
import os
import shlex
import subprocess


def _deps(dep_file):
    """The inputs listed in a make-style dependency file, or None."""
    try:
        with open(dep_file, encoding="utf-8") as f:
            text = f.read().replace("\\\n", " ")
    except OSError:
        return None
    _, _, inputs = text.partition(": ")
    return shlex.split(inputs)


def _fresh(pch, dep_file):
    if not os.path.exists(pch):
        return False
    deps = _deps(dep_file)
    if not deps:
        return False
    built = os.path.getmtime(pch)
    try:
        return all(os.path.getmtime(d) <= built for d in deps)
    except OSError:  # an input is gone
        return False


def prefix_header(base, extra_headers, out_dir):
    """`base`, or a header in out_dir that includes it and then extra_headers
    (a directory's own heavy headers), written only when its text changes."""
    if not extra_headers:
        return base
    text = '#include "%s"\n' % base + "".join("#include <%s>\n" % h for h in extra_headers)
    path = os.path.join(out_dir, "prefix-%s.hpp" % hashlib.sha256(text.encode()).hexdigest()[:12])
    if not os.path.exists(path):
        os.makedirs(out_dir, exist_ok=True)
        tmp = "%s.%d.tmp" % (path, os.getpid())
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    return path


def prefix_pch(cxx, flags, prefix, out_dir, lit_config):
    """Path of the PCH of `prefix` for `cxx flags`, built if needed; None if it
    cannot be built (said as a lit note)."""
    key = hashlib.sha256(("%s %s %s" % (cxx, flags, prefix)).encode()).hexdigest()[:12]
    pch = os.path.join(out_dir, "witness-prefix-%s.pch" % key)
    dep_file = pch + ".d"
    if _fresh(pch, dep_file):
        return pch
    os.makedirs(out_dir, exist_ok=True)
    tmp = "%s.%d.tmp" % (pch, os.getpid())
    cmd = [cxx] + shlex.split(flags) + ["-x", "c++-header", prefix, "-o", tmp,
                                       "-MD", "-MF", tmp + ".d", "-MT", pch]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        lit_config.note("witnesses compile without a precompiled prefix: %s failed:\n%s"
                        % (" ".join(cmd), r.stdout))
        for f in (tmp, tmp + ".d"):
            if os.path.exists(f):
                os.remove(f)
        return None
    os.replace(tmp + ".d", dep_file)
    os.replace(tmp, pch)
    return pch


def set_witness_compilers(config, lit_config, extra_headers=()):
    """Defines %chan_cxx and, for the fixed twins (clean means no data race
    either), %chan_tsan_cxx, each with its precompiled prefix: chan's, plus
    extra_headers for a directory whose witnesses include heavy headers of
    their own (its lit.local.cfg calls this again with them)."""
    pch_dir = os.path.join(config.exec_dir, "witness-pch")
    prefix = prefix_header(os.path.join(config.lit_dir, "witness_prefix.hpp"),
                           extra_headers, pch_dir)
    for name, flags in (("%chan_tsan_cxx", "-std=c++20 -O1 -g -pthread -fsanitize=thread"),
                        ("%chan_cxx", "-std=c++20 -O1 -pthread")):
        flags = "%s -I%s" % (flags, config.chan_include)
        pch = prefix_pch(config.cxx, flags, prefix, pch_dir, lit_config)
        command = "%s %s%s" % (config.cxx, flags, " -include-pch " + pch if pch else "")
        # The longer name first: lit substitutes in order.
        config.substitutions = [s for s in config.substitutions if s[0] != name]
        config.substitutions.insert(0 if name == "%chan_tsan_cxx" else 1, (name, command))
