using System;
using System.Globalization;
using SeDsl;
using SeDsl.CheckpointChild;

// Usage: SeDsl.CheckpointChild PATH FIRST-STATE
// Saves states FIRST, FIRST + 1, ... to PATH until killed, printing "ready" once and "saved S" after each save returns.
if (args.Length != 2 || !long.TryParse(args[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out long state))
{
    Console.Error.WriteLine("usage: SeDsl.CheckpointChild PATH FIRST-STATE");
    return 2;
}

using var model = new CheckpointModel();
Console.Out.WriteLine("ready");
Console.Out.Flush();
for (; ; state++)
{
    model.Fill(state);
    Weights.Save(model, args[0]);
    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"saved {state}"));
    Console.Out.Flush();
}
