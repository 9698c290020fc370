#!/usr/bin/env bash
# Wraps "dist/Agent Toolbar.app" in dist/agent-toolbar-VERSION.pkg, which installs it into
# /Applications: the form MDM tools (Jamf, Intune, Kandji, Munki) deploy without asking.
#
# macOS only (pkgbuild, productbuild and xcrun are Apple's); the release workflow runs it
# after build_dmg.sh, which has signed the app (and had it notarized when configured):
#   packaging/macos/build_pkg.sh 0.1.0
# Installing it by hand, silently: sudo installer -pkg dist/agent-toolbar-0.1.0.pkg -target /
# Signing follows the environment:
#   MACOS_INSTALLER_IDENTITY  a "Developer ID Installer: ..." identity (not the Application
#                             one) in an unlocked keychain. Without it the package is
#                             unsigned: MDM tools still install it; Gatekeeper warns a
#                             person who opens it.
#   MACOS_NOTARY_PROFILE      as for build_dmg.sh: with an identity too, Apple notarizes the
#                             package and the ticket is stapled to it.
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 VERSION   (for example: $0 0.1.0)" >&2
    exit 2
fi
version="$1"
cd "$(dirname "$0")/../.."

app="dist/Agent Toolbar.app"
pkg="dist/agent-toolbar-${version}.pkg"
identifier="org.agenttoolbar.AgentToolbar"
components="packaging/macos/components.plist"
identity="${MACOS_INSTALLER_IDENTITY:-}"
notary_profile="${MACOS_NOTARY_PROFILE:-}"

if [[ ! -d "$app" ]]; then
    echo "$0: $app is missing: run 'pyinstaller packaging/agent-toolbar.spec' first" >&2
    exit 1
fi
if [[ -n "$notary_profile" && -z "$identity" ]]; then
    echo "$0: MACOS_NOTARY_PROFILE is set without MACOS_INSTALLER_IDENTITY:" \
        "Apple notarizes only packages signed with a Developer ID" >&2
    exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The app alone under a root that stands for /Applications; ditto keeps its signature.
mkdir "$work/root"
ditto "$app" "$work/root/Agent Toolbar.app"
pkgbuild --root "$work/root" --component-plist "$components" --identifier "$identifier" \
    --version "$version" --install-location /Applications "$work/app.pkg"

sign=()
if [[ -n "$identity" ]]; then
    sign=(--sign "$identity" --timestamp)
fi
productbuild --package "$work/app.pkg" --identifier "$identifier" --version "$version" \
    ${sign[@]+"${sign[@]}"} "$pkg"
if [[ -z "$identity" ]]; then
    echo "$0: MACOS_INSTALLER_IDENTITY is not set: the package is UNSIGNED" >&2
fi

if [[ -n "$notary_profile" ]]; then
    xcrun notarytool submit "$pkg" --keychain-profile "$notary_profile" --wait
    xcrun stapler staple "$pkg"
fi
echo "$pkg"
