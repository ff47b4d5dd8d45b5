#!/bin/bash
# The "one mistake" measurement (docs/design.md, "Classes with errors"): packs the SeDsl package of REPO under a
# fresh version and builds a new console app against it (TreatWarningsAsErrors) whose one network has r = 64 on 32
# channels and which uses the network twice (a constructor call and a read of ParameterCount). Prints the app's
# `dotnet build` output. Usage: tests/scripts/one_mistake_build.sh REPO LABEL  (work folder: /tmp/sedsl-one-mistake/LABEL)
set -u
REPO=$(cd "$1" && pwd); LABEL=$2; OUT=/tmp/sedsl-one-mistake/$LABEL
rm -rf "$OUT"; mkdir -p "$OUT/feed" "$OUT/app" "$OUT/packages"
VERSION=0.1.0-measure.$LABEL.$(date -u +%Y%m%d%H%M%S)
if ! (cd "$REPO" && dotnet pack src/SeDsl.Runtime/SeDsl.Runtime.csproj -c Release -o "$OUT/feed" -p:Version="$VERSION" -nologo -v q) > "$OUT/pack.log" 2>&1; then
    echo "pack failed:"; tail -20 "$OUT/pack.log"; exit 1
fi

cat > "$OUT/app/NuGet.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="measure-feed" value="$OUT/feed" />
  </packageSources>
  <fallbackPackageFolders>
    <add key="machine" value="$HOME/.nuget/packages" />
  </fallbackPackageFolders>
</configuration>
XML
cat > "$OUT/app/App.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="SeDsl" Version="$VERSION" />
  </ItemGroup>
</Project>
XML
cat > "$OUT/app/Program.cs" <<'CS'
using SeDsl;
using SeDsl.Layers;
using TorchSharp.Modules;

var net = new Demo.Net();
System.Console.WriteLine(Demo.Net.ParameterCount);

namespace Demo
{
    [Network(3, 32, 32)]
    public partial class Net
    {
        [Conv2d(32, 3, Padding = 1)] private readonly Conv2d conv;
        [ReLU] private readonly ReLU relu;
        [SqueezeExcite(r: 64)] private readonly SqueezeExcitation se;
        [GlobalAvgPool] private readonly AdaptiveAvgPool2d pool;
        [Flatten] private readonly Flatten flatten;
        [Linear(10)] private readonly Linear fc;
    }
}
CS
cd "$OUT/app" && NUGET_PACKAGES="$OUT/packages" dotnet build -nologo 2>&1
