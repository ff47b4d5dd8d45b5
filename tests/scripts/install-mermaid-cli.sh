#!/usr/bin/env bash
# Installs mermaid-cli for MermaidTests: Debian's chromium as the browser (puppeteer's own download is skipped), then
# @mermaid-js/mermaid-cli from npm into the folder given (default: ./.mermaid). Prints the SEDSL_MMDC line to use.
set -euo pipefail
target="${1:-.mermaid}"
apt-get install -y chromium
mkdir -p "$target"
cd "$target"
PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund @mermaid-js/mermaid-cli@12.2.0
echo "export SEDSL_MMDC=$(pwd)/node_modules/.bin/mmdc"
