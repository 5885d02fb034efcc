"""kt_fuzzer: one fuzz target, built three ways from the same source."""

# The fuzzers' own harness code (input decoding, strategies, counters) is not code under
# test: under --config=fuzz it gets no edge coverage (noise features, and the cost of
# cmp tracing at every scheduling point). A no-op in the default configuration.
HARNESS_COPTS = ["-fno-sanitize=fuzzer-no-link"]

# cc_binary targets that must also link under --config=fuzz/asan (ld.bfd).
NO_START_END_LIB = ["-supports_start_end_lib"]

def kt_fuzzer(name, srcs, deps = []):
    """Declares <name>, <name>_entry and <name>_random.

    <name>:        the libFuzzer binary (-fsanitize=fuzzer at link time). Build it with
                   --config=fuzz for coverage instrumentation, ASan and UBSan; in the
                   default configuration it links too, uninstrumented.
    <name>_entry:  the same source with LLVMFuzzerTestOneInput renamed to
                   KtFuzzEntry_<name>, no libFuzzer, for corpus_regression_test (one
                   test binary holds every target's entry point).
    <name>_random: the same source linked with random_driver.cc instead of libFuzzer
                   (default configuration: the time-to-find guard, crash reproduction).
    """
    native.cc_binary(
        name = name,
        srcs = srcs,
        linkopts = ["-fsanitize=fuzzer"],
        deps = deps,
        # --config=fuzz links with ld.bfd, which lacks --start-lib/--end-lib (the
        # toolchain assumes gold): link the libraries as archives instead.
        features = NO_START_END_LIB,
    )
    native.cc_library(
        name = name + "_entry",
        testonly = True,
        srcs = srcs,
        local_defines = ["LLVMFuzzerTestOneInput=KtFuzzEntry_" + name],
        deps = deps,
        alwayslink = True,
    )
    native.cc_binary(
        name = name + "_random",
        srcs = srcs + ["random_driver.cc"],
        deps = deps,
        features = NO_START_END_LIB,
    )
