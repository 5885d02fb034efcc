"""Minimal rules_java shim for Bazel 4.2.3 offline.

Bazel registers @bazel_tools//tools/jdk:all as toolchains, and that package
loads @rules_java//java:defs.bzl, which Bazel would otherwise download, even
for C++-only builds. The project has no Java; these forward to native rules.
"""

def java_binary(**kwargs):
    native.java_binary(**kwargs)

def java_import(**kwargs):
    native.java_import(**kwargs)

def java_library(**kwargs):
    native.java_library(**kwargs)

def java_plugin(**kwargs):
    native.java_plugin(**kwargs)

def java_runtime(**kwargs):
    native.java_runtime(**kwargs)

def java_test(**kwargs):
    native.java_test(**kwargs)

def java_toolchain(**kwargs):
    native.java_toolchain(**kwargs)
