# lit configuration for chanlint's fixtures (fixtures/ in the source tree).
import os
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
    "%s %s --clang-tidy=%s --plugin=%s --filecheck=%s --cxx=%s --chan-include=%s"
    % (python, os.path.join(config.lit_dir, "check_chan_tidy.py"), config.clang_tidy,
       config.plugin, os.path.join(config.llvm_tools_dir, "FileCheck"), config.cxx,
       config.chan_include)))
config.substitutions.append((
    "%check_expect",
    "%s %s --clang-tidy=%s --plugin=%s --chan-include=%s"
    % (python, os.path.join(config.lit_dir, "check_expect.py"), config.clang_tidy,
       config.plugin, config.chan_include)))
config.substitutions.append((
    "%chan_cxx",
    "%s -std=c++20 -O1 -pthread -I%s" % (config.cxx, config.chan_include)))
# The fixed twin of a witness also runs under ThreadSanitizer: clean means
# no data race either. (Longer name first: lit substitutes in order.)
config.substitutions.insert(0, (
    "%chan_tsan_cxx",
    "%s -std=c++20 -O1 -g -pthread -fsanitize=thread -I%s" % (config.cxx, config.chan_include)))
config.substitutions.append((
    "%witness", "%s %s" % (python, os.path.join(config.lit_dir, "witness.py"))))
# clang-tidy with the plugin loaded, for fixtures that run it themselves
# (configuration errors, exit codes).
config.substitutions.append((
    "%chan_tidy", "%s --load=%s" % (config.clang_tidy, config.plugin)))
