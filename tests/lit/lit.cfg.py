# lit configuration for chanlint's fixtures (fixtures/ in the source tree).
import os
import sys

import lit.formats

config.name = "chanlint-fixtures"
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".cpp"]
config.excludes = ["Inputs"]
config.test_source_root = config.fixtures_dir
config.test_exec_root = config.exec_dir

config.environment["PATH"] = os.pathsep.join(
    [config.llvm_tools_dir, config.environment.get("PATH", os.environ.get("PATH", ""))])

here = os.path.dirname(os.path.abspath(__file__))
python = config.python
config.substitutions.append((
    "%check_chan_tidy",
    "%s %s --clang-tidy=%s --plugin=%s --filecheck=%s --chan-include=%s"
    % (python, os.path.join(config.lit_dir, "check_chan_tidy.py"), config.clang_tidy,
       config.plugin, os.path.join(config.llvm_tools_dir, "FileCheck"), config.chan_include)))
config.substitutions.append((
    "%check_expect",
    "%s %s --clang-tidy=%s --plugin=%s --chan-include=%s"
    % (python, os.path.join(config.lit_dir, "check_expect.py"), config.clang_tidy,
       config.plugin, config.chan_include)))
# Witnesses compile with a precompiled prefix of chan and the standard
# headers (witness_pch.py); a directory of witnesses on Boost adds its headers
# in its lit.local.cfg.
sys.path.insert(0, config.lit_dir)
import witness_pch  # noqa: E402

witness_pch.set_witness_compilers(config, lit_config)
config.substitutions.append((
    "%witness", "%s %s" % (python, os.path.join(config.lit_dir, "witness.py"))))
# clang-tidy with the plugin loaded, for fixtures that run it themselves
# (configuration errors, exit codes).
config.substitutions.append((
    "%chan_tidy", "%s --load=%s" % (config.clang_tidy, config.plugin)))
