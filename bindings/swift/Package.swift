// swift-tools-version:5.7
//
// v2tim for Swift: `import V2TIM` gives V2TIM's Swift-facing API (V2TIMManager.sharedInstance(),
// login(userID:userSig:succ:fail:), revokeMessage(msg:succ:fail:), V2TIMAdvancedMsgListener,
// ...) over the C ABI, which is the module `CV2TIM` (include/v2tim.h).
//
// Where the native library comes from:
//
// - Linux, macOS command line (default below): `CV2TIM` is a system library target. Its module
//   map (Sources/CV2TIM/module.modulemap) includes ../../../../include/v2tim.h of this
//   checkout and says `link "v2tim"`. Build the library with `cargo build --release` at the
//   repository root and either install it (`scripts/install.sh PREFIX` writes the pkg-config
//   file `v2tim`, which SwiftPM reads through `pkgConfig:` below) or pass its directory:
//       swift build -Xlinker -L../../target/release
//   Because the header is reached by a relative path, use this package from a checkout of the
//   whole repository (a local `.package(path: ".../bindings/swift")` dependency).
//
// - iOS / macOS apps: build `v2tim.xcframework` with build-xcframework.sh (static libraries
//   for aarch64-apple-ios, aarch64-apple-ios-sim + x86_64-apple-ios, aarch64-apple-darwin +
//   x86_64-apple-darwin, joined by `xcodebuild -create-xcframework`; its Headers carry
//   v2tim.h and xcframework/module.modulemap, module `CV2TIM`). Then replace the
//   `.systemLibrary(...)` target below by
//       .binaryTarget(name: "CV2TIM", path: "v2tim.xcframework"),
//   Nothing else changes: the Swift sources import the same module name.
//
// See README.md for what was and was not compiled on the machine this was written on.
import PackageDescription

let package = Package(
    name: "V2TIM",
    platforms: [.macOS(.v10_15), .iOS(.v13)],
    products: [
        .library(name: "V2TIM", targets: ["V2TIM"]),
    ],
    targets: [
        .systemLibrary(
            name: "CV2TIM",
            path: "Sources/CV2TIM",
            pkgConfig: "v2tim"
        ),
        .target(
            name: "V2TIM",
            dependencies: ["CV2TIM"],
            path: "Sources/V2TIM",
            linkerSettings: [
                // What the Rust static library needs on Apple platforms (rustls-native-certs
                // reads the keychain); harmless with the dynamic library.
                .linkedFramework("Security", .when(platforms: [.macOS, .iOS])),
                .linkedFramework("CoreFoundation", .when(platforms: [.macOS, .iOS])),
            ]
        ),
    ]
)
