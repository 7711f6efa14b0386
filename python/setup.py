# setup.py - builds parley's Python module over the static libparley that `make` leaves in build/.
#
# The extension links build/libparley.a (position independent) and the system's jansson: nothing is
# installed system-wide, and `python3 -m pip install --no-build-isolation ./python` works right after `make`.
# PARLEY_BUILD names another CMake build folder (default: ../build beside this file).
import os
import sys

from setuptools import Extension, setup

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
build = os.path.abspath(os.environ.get("PARLEY_BUILD", os.path.join(root, "build")))
lib = os.path.join(build, "libparley.a")
if not os.path.exists(lib) and not {"--help", "egg_info", "sdist"} & set(sys.argv):
    sys.exit(f"parley: {lib} not found: run `make` in {root} first (or set PARLEY_BUILD)")

version = "0.0.0"
try:
    with open(os.path.join(build, "include", "parley", "version.h")) as f:
        for line in f:
            if line.startswith("#define PARLEY_VERSION "):
                version = line.split('"')[1]
except OSError:
    pass

native = Extension(
    "parley._native",
    sources=[os.path.relpath(os.path.join(here, "src", "native.c"), os.getcwd())],
    include_dirs=[os.path.join(root, "include"), os.path.join(build, "include")],
    extra_objects=[lib],
    libraries=["jansson", "expat", "sqlite3", "m", "pthread"],
    # the library's own PARLEY_API symbols stay inside the module: nothing else can bind to them
    extra_link_args=["-Wl,--exclude-libs,ALL"],
    extra_compile_args=["-std=c17", "-Wall", "-Wextra", "-Wno-missing-field-initializers", "-Wno-cast-function-type"],
    define_macros=[("_POSIX_C_SOURCE", "200809L")],
    depends=[lib] + [os.path.join(root, "include", "parley", h) for h in os.listdir(os.path.join(root, "include", "parley"))],
)

setup(
    name="parley",
    version=version,
    description="Forecasting multi-party negotiations: libparley from Python",
    packages=["parley"],
    package_dir={"parley": os.path.relpath(os.path.join(here, "parley"), os.getcwd())},
    ext_modules=[native],
    python_requires=">=3.9",
)
