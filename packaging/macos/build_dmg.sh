#!/usr/bin/env bash
# Wraps "dist/Agent Toolbar.app" (made by PyInstaller from packaging/agent-toolbar.spec) in
# dist/agent-toolbar-VERSION.dmg: the app beside a link to /Applications to drag it onto.
#
# macOS only (codesign, xcrun and hdiutil are Apple's); the release workflow runs it as
#   packaging/macos/build_dmg.sh 0.1.0
# Signing follows the environment:
#   MACOS_SIGN_IDENTITY   a "Developer ID Application: ..." identity in an unlocked keychain.
#                         Without it the app gets an ad-hoc signature only, and on other Macs
#                         Gatekeeper refuses to open it until the user right-clicks > Open.
#   MACOS_NOTARY_PROFILE  a keychain profile saved by `xcrun notarytool store-credentials`.
#                         With it (and an identity) Apple notarizes the app and the ticket is
#                         stapled to it, so it opens without warnings, offline too.
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 VERSION   (for example: $0 0.1.0)" >&2
    exit 2
fi
version="$1"
cd "$(dirname "$0")/../.."

app="dist/Agent Toolbar.app"
dmg="dist/agent-toolbar-${version}.dmg"
entitlements="packaging/macos/entitlements.plist"
identity="${MACOS_SIGN_IDENTITY:-}"
notary_profile="${MACOS_NOTARY_PROFILE:-}"

if [[ ! -d "$app" ]]; then
    echo "$0: $app is missing: run 'pyinstaller packaging/agent-toolbar.spec' first" >&2
    exit 1
fi
if [[ -n "$notary_profile" && -z "$identity" ]]; then
    echo "$0: MACOS_NOTARY_PROFILE is set without MACOS_SIGN_IDENTITY:" \
        "Apple notarizes only apps signed with a Developer ID" >&2
    exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [[ -n "$identity" ]]; then
    # The hardened runtime (--options runtime) and a secure timestamp are what notarization asks.
    codesign --deep --force --options runtime --timestamp \
        --entitlements "$entitlements" --sign "$identity" "$app"
else
    codesign --deep --force --sign - "$app"
    echo "$0: MACOS_SIGN_IDENTITY is not set: the app is UNSIGNED (ad-hoc signature only)" >&2
fi
codesign --verify --deep --strict "$app"

if [[ -n "$notary_profile" ]]; then
    # Apple takes a zip of the app. Stapling fails when Apple did not accept it;
    # `xcrun notarytool log SUBMISSION-ID --keychain-profile ...` then says why.
    ditto -c -k --keepParent "$app" "$work/notarize.zip"
    xcrun notarytool submit "$work/notarize.zip" --keychain-profile "$notary_profile" --wait
    xcrun stapler staple "$app"
fi

# ditto keeps the bundle's symbolic links and signatures as they are (cp -R may not).
mkdir "$work/dmg"
ditto "$app" "$work/dmg/Agent Toolbar.app"
ln -s /Applications "$work/dmg/Applications"
hdiutil create -volname "Agent toolbar" -srcfolder "$work/dmg" -ov -format UDZO "$dmg"
if [[ -n "$identity" ]]; then
    codesign --force --timestamp --sign "$identity" "$dmg"
fi
echo "$dmg"
