using System.CommandLine;
using SeDsl.Samples.Commands;

var root = new RootCommand("SeDsl samples: the model zoo's compile-time summaries and the main job.")
{
    SummaryCommand.Create(),
    BenchCommand.Create(),
};
root.SetAction(_ => DemoCommand.Run());
return root.Parse(args).Invoke();
