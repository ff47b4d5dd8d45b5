using System.CommandLine;
using SeDsl.Samples.Commands;

var root = new RootCommand("SeDsl samples: train a small SE-ResNet and its plain twin on Fashion-MNIST (the default), the model zoo's compile-time summaries, and the data.")
{
    SummaryCommand.Create(),
    ExportPyTorchCommand.Create(),
    ZooDocCommand.Create(),
    MemoryCommand.Create(),
    FetchDataCommand.Create(),
    BenchCommand.Create(),
};
TrainCommand.Configure(root);
return root.Parse(args).Invoke();
