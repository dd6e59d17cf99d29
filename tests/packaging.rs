//! Packaging: scripts/install.sh installs the library this test was built against (no cargo
//! build of its own) into a temporary prefix, which is then moved (the installed CMake and
//! pkg-config files are relocatable); consumers built only from what was installed then run
//! a send + recall on the embedded server: a CMake project using find_package(v2tim) with
//! the shared (v2tim::v2tim) and the static (v2tim::v2tim_static) target, a C program
//! compiled with `gcc $(pkg-config --cflags --libs v2tim)` (and v2tim-static), and the C++
//! example compiled with g++ and pkg-config.

mod native;

use native::{lib_dir, require, root, run};
use std::path::{Path, PathBuf};
use std::process::Command;

const PROFILE: &str = if cfg!(debug_assertions) {
    "debug"
} else {
    "release"
};

/// Installs into `<dir>/stage`, then moves the tree to `<dir>/prefix` and returns that.
fn install(dir: &Path) -> PathBuf {
    let stage = dir.join("stage");
    let out = run(Command::new("bash")
        .arg(root().join("scripts/install.sh"))
        .arg(&stage)
        .arg(PROFILE)
        .env("V2TIM_LIB_DIR", lib_dir()));
    assert!(out.contains("installed v2tim"), "{out}");
    let prefix = dir.join("prefix");
    std::fs::rename(&stage, &prefix).unwrap();
    prefix
}

fn pkg_config(prefix: &Path, args: &[&str]) -> Vec<String> {
    let out = run(Command::new("pkg-config")
        .args(args)
        .env("PKG_CONFIG_PATH", prefix.join("lib/pkgconfig"))
        .env_remove("PKG_CONFIG_LIBDIR"));
    out.split_whitespace().map(str::to_owned).collect()
}

#[test]
fn install_layout_and_refusals() {
    let tmp = tempfile::tempdir().unwrap();
    let prefix = install(tmp.path());
    for f in [
        "lib/libv2tim.so",
        "lib/libv2tim.a",
        "include/v2tim.h",
        "include/v2tim-cpp/V2TIMManager.h",
        "lib/cmake/v2tim/v2timConfig.cmake",
        "lib/cmake/v2tim/v2timConfigVersion.cmake",
        "lib/pkgconfig/v2tim.pc",
        "lib/pkgconfig/v2tim-static.pc",
    ] {
        assert!(prefix.join(f).is_file(), "{f} not installed");
    }
    // The installed headers are the sources.
    for entry in std::fs::read_dir(root().join("bindings/cpp/include")).unwrap() {
        let src = entry.unwrap().path();
        let dst = prefix
            .join("include/v2tim-cpp")
            .join(src.file_name().unwrap());
        assert_eq!(
            std::fs::read(&src).unwrap(),
            std::fs::read(&dst).unwrap(),
            "{}",
            dst.display()
        );
    }
    let version =
        std::fs::read_to_string(prefix.join("lib/cmake/v2tim/v2timConfigVersion.cmake")).unwrap();
    assert!(
        version.contains(&format!(
            "set(PACKAGE_VERSION \"{}\")",
            env!("CARGO_PKG_VERSION")
        )),
        "{version}"
    );
    assert!(!version.contains('@'), "unfilled template: {version}");

    if require("pkg-config", "pkg-config") {
        assert_eq!(
            pkg_config(&prefix, &["--modversion", "v2tim"]),
            [env!("CARGO_PKG_VERSION")]
        );
        let cflags = pkg_config(&prefix, &["--cflags", "v2tim-static"]);
        assert!(cflags.iter().any(|f| f == "-DV2TIM_STATIC"), "{cflags:?}");
    }

    // A bad profile and a missing library are refused.
    let bad = Command::new("bash")
        .arg(root().join("scripts/install.sh"))
        .arg(tmp.path().join("x"))
        .arg("fast")
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let missing = Command::new("bash")
        .arg(root().join("scripts/install.sh"))
        .arg(tmp.path().join("y"))
        .env("V2TIM_LIB_DIR", &empty)
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no v2tim library"));
}

#[test]
fn cmake_find_package_consumer_shared_and_static() {
    if !require("cmake", "cmake") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let prefix = install(tmp.path());
    let build = tmp.path().join("build");
    run(Command::new("cmake")
        .arg("-S")
        .arg(root().join("tests/packaging/cmake-consumer"))
        .arg("-B")
        .arg(&build)
        .arg(format!("-DCMAKE_PREFIX_PATH={}", prefix.display()))
        .arg("-DCMAKE_BUILD_TYPE=Debug"));
    run(Command::new("cmake")
        .arg("--build")
        .arg(&build)
        .args(["--parallel", "2"]));
    // CMake's build rpath finds the installed libv2tim.so; no LD_LIBRARY_PATH.
    let shared = run(Command::new(build.join("consumer_shared")).env_remove("LD_LIBRARY_PATH"));
    assert!(shared.contains("cmake consumer (shared): ok"), "{shared}");
    let ldd = run(Command::new("ldd")
        .arg(build.join("consumer_shared"))
        .env_remove("LD_LIBRARY_PATH"));
    assert!(
        ldd.contains(&prefix.join("lib/libv2tim.so").display().to_string()),
        "{ldd}"
    );
    let stat = run(Command::new(build.join("consumer_static")).env_remove("LD_LIBRARY_PATH"));
    assert!(stat.contains("cmake consumer (static): ok"), "{stat}");
    let ldd = run(Command::new("ldd")
        .arg(build.join("consumer_static"))
        .env_remove("LD_LIBRARY_PATH"));
    assert!(
        !ldd.contains("libv2tim"),
        "static consumer loads libv2tim: {ldd}"
    );
}

#[test]
fn pkg_config_consumers_c_and_cpp() {
    if !require("pkg-config", "pkg-config") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let prefix = install(tmp.path());
    let lib = prefix.join("lib");
    let rpath = format!("-Wl,-rpath,{}", lib.display());
    let c_src = root().join("tests/packaging/pkgconfig-consumer/main.c");
    let strict_c = ["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic"];

    let shared = tmp.path().join("pc_shared");
    run(Command::new("gcc")
        .args(strict_c)
        .arg(&c_src)
        .args(pkg_config(&prefix, &["--cflags", "--libs", "v2tim"]))
        .args(["-lpthread", &rpath, "-o"])
        .arg(&shared));
    let out = run(Command::new(&shared).env_remove("LD_LIBRARY_PATH"));
    assert!(out.contains("pkg-config consumer: ok"), "{out}");

    let stat = tmp.path().join("pc_static");
    run(Command::new("gcc")
        .args(strict_c)
        .arg(&c_src)
        .args(pkg_config(&prefix, &["--cflags", "--libs", "v2tim-static"]))
        .arg("-o")
        .arg(&stat));
    let out = run(Command::new(&stat).env_remove("LD_LIBRARY_PATH"));
    assert!(out.contains("pkg-config consumer: ok"), "{out}");

    // The C++ layer from the installed headers alone.
    let cpp = tmp.path().join("recall_sample");
    run(Command::new("g++")
        .args(["-std=c++11", "-Wall", "-Wextra", "-Werror", "-pedantic"])
        .arg(root().join("bindings/cpp/examples/recall_sample.cpp"))
        .args(pkg_config(&prefix, &["--cflags", "--libs", "v2tim"]))
        .args(["-pthread", &rpath, "-o"])
        .arg(&cpp));
    let out = run(Command::new(&cpp)
        .env_remove("LD_LIBRARY_PATH")
        .env_remove("V2TIM_URL"));
    assert!(out.contains("recalled by alice (wrong time)"), "{out}");
}

/// v2timConfigVersion.cmake: 0.x is compatible within the same minor version only.
#[test]
fn cmake_version_requests() {
    if !require("cmake", "cmake") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let prefix = install(tmp.path());
    let (major, minor) = {
        let mut v = env!("CARGO_PKG_VERSION").split('.');
        (v.next().unwrap(), v.next().unwrap())
    };
    let next_minor = format!("{major}.{}", minor.parse::<u32>().unwrap() + 1);
    let next_major = format!("{}.0", major.parse::<u32>().unwrap() + 1);
    for (request, found) in [
        (String::new(), true),
        (format!("{major}.{minor}"), true),
        (env!("CARGO_PKG_VERSION").to_string(), true),
        (next_minor, false),
        (next_major, false),
    ] {
        let project = tmp.path().join(format!("version-{request}"));
        std::fs::create_dir_all(&project).unwrap();
        std::fs::write(
            project.join("CMakeLists.txt"),
            format!(
                "cmake_minimum_required(VERSION 3.13)\nproject(v NONE)\n\
                 find_package(v2tim {request} CONFIG)\n\
                 message(STATUS \"v2tim found=${{v2tim_FOUND}}\")\n"
            ),
        )
        .unwrap();
        let out = run(Command::new("cmake")
            .arg("-S")
            .arg(&project)
            .arg("-B")
            .arg(project.join("build"))
            .arg(format!("-DCMAKE_PREFIX_PATH={}", prefix.display())));
        let want = if found { "found=1" } else { "found=0" };
        assert!(
            out.contains(&format!("v2tim {want}")),
            "request {request:?}: {out}"
        );
    }
}
