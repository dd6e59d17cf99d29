#!/usr/bin/env bash
# Builds bindings/swift/v2tim.xcframework: the static library for iOS devices, the iOS
# simulator and macOS, with include/v2tim.h and the module map of module CV2TIM as headers.
#
# Needs a Mac with Xcode (xcodebuild, lipo) and rustup. NOT RUN on the Linux machine this was
# written on (no Xcode there); tests/swift_module.rs only checks that this is valid bash and
# that the Headers layout it makes imports as CV2TIM with clang.
#
# Then, in Package.swift, use `.binaryTarget(name: "CV2TIM", path: "v2tim.xcframework")`
# instead of the `.systemLibrary` target.
set -euo pipefail
cd "$(dirname "$0")/../.."

device=aarch64-apple-ios
simulators=(aarch64-apple-ios-sim x86_64-apple-ios)
macs=(aarch64-apple-darwin x86_64-apple-darwin)

rustup target add "$device" "${simulators[@]}" "${macs[@]}"
for target in "$device" "${simulators[@]}" "${macs[@]}"; do
  # The build apps ship: size-optimized, no embedded server (docs/INTEGRATION.md).
  cargo build --profile dist -p v2tim --lib --no-default-features --target "$target"
done

work=target/xcframework
out=bindings/swift/v2tim.xcframework
rm -rf "$work" "$out"
mkdir -p "$work/headers" "$work/ios-simulator" "$work/macos"
cp include/v2tim.h "$work/headers/"
cp bindings/swift/xcframework/module.modulemap "$work/headers/"

# One library per platform: the simulator and macOS slices each join two architectures.
lipo -create \
  target/aarch64-apple-ios-sim/dist/libv2tim.a \
  target/x86_64-apple-ios/dist/libv2tim.a \
  -output "$work/ios-simulator/libv2tim.a"
lipo -create \
  target/aarch64-apple-darwin/dist/libv2tim.a \
  target/x86_64-apple-darwin/dist/libv2tim.a \
  -output "$work/macos/libv2tim.a"

xcodebuild -create-xcframework \
  -library "target/$device/dist/libv2tim.a" -headers "$work/headers" \
  -library "$work/ios-simulator/libv2tim.a" -headers "$work/headers" \
  -library "$work/macos/libv2tim.a" -headers "$work/headers" \
  -output "$out"
echo "built $out"
