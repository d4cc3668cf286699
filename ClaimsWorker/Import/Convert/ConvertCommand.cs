using System.Diagnostics;
using ClaimsOffice.Worker.Cli;

namespace ClaimsOffice.Worker.Import.Convert;

/// <summary><c>convert</c>: a labelled dataset to the canonical import files plus claims.csv (docs/import-format.md).</summary>
public static class ConvertCommand
{
    public const int DefaultSeed = 20261125;

    public const string Usage = """
        usage: ClaimsWorker convert --dataset sparkov|paysim --input <folder> --output <folder> [--seed N]
          --input    the dataset's folder, e.g. ../shared/data/sparkov-dev or ../shared/data/paysim-identities
          --output   where customers.csv, transactions.csv and claims.csv are written (created; files replaced)
          --seed     picks the false claims and filing delays; default 20261125 (same seed, same files)
        """;

    public static Task<int> RunAsync(CommandLine commandLine, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        ct.ThrowIfCancellationRequested();
        if (commandLine.Has("help"))
        {
            Console.WriteLine(Usage);
            return Task.FromResult(0);
        }
        var dataset = commandLine.Get("dataset")?.Trim().ToLowerInvariant();
        var input = commandLine.Get("input") ?? throw new ArgumentException("--input <folder> is required.");
        var output = commandLine.Get("output") ?? throw new ArgumentException("--output <folder> is required.");
        var seed = commandLine.GetInt("seed", DefaultSeed, 0, int.MaxValue);
        if (!Directory.Exists(input))
        {
            throw new ArgumentException($"--input folder not found: {input}");
        }
        Directory.CreateDirectory(output);
        var clock = Stopwatch.StartNew();
        try
        {
            var summary = dataset switch
            {
                "sparkov" => SparkovConverter.Convert(input, output, seed),
                "paysim" => PaySimConverter.Convert(input, output, seed),
                _ => throw new ArgumentException($"--dataset takes sparkov or paysim (got '{dataset}')."),
            };
            Console.WriteLine(summary);
            Console.WriteLine($"wrote {output} in {clock.Elapsed.TotalSeconds:N1} s");
            return Task.FromResult(0);
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return Task.FromResult(2);
        }
    }
}
