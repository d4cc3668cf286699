namespace ClaimsOffice.Worker.Cli;

/// <summary>Just enough argument parsing for a handful of commands: <c>--name value</c> and <c>--flag</c>.</summary>
public sealed class CommandLine
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _positionals = [];

    public CommandLine(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        Command = args.Count > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0].ToLowerInvariant() : "run";
        var start = Command == "run" && (args.Count == 0 || args[0].StartsWith("--", StringComparison.Ordinal)) ? 0 : 1;
        // Words right after the command are its subcommand and arguments (`rules show 2026.11-2`).
        while (start > 0 && start < args.Count && !args[start].StartsWith("--", StringComparison.Ordinal))
        {
            _positionals.Add(args[start++]);
        }
        for (var i = start; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unexpected argument '{arg}'. Options look like --name value.");
            }
            var name = arg[2..];
            var value = i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null;
            _options[name] = value;
        }
    }

    public string Command { get; }

    /// <summary>Words after the command and before the first option.</summary>
    public IReadOnlyList<string> Positionals => _positionals;

    /// <summary>The first word after the command ("bench queue"), lower-cased; null when there is none.</summary>
    public string? Subcommand => _positionals.Count > 0 ? _positionals[0].ToLowerInvariant() : null;

    public bool Has(string name) => _options.ContainsKey(name);

    public string? Get(string name) => _options.TryGetValue(name, out var v) ? v : null;

    public int GetInt(string name, int fallback, int min, int max)
    {
        var raw = Get(name);
        if (raw is null)
        {
            return fallback;
        }
        if (!int.TryParse(raw, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new ArgumentException($"--{name} takes a whole number from {min} to {max} (got '{raw}').");
        }
        return value;
    }

    /// <summary>Command-line options that map onto configuration keys, so --provider and --connection work everywhere.</summary>
    public IEnumerable<KeyValuePair<string, string?>> ConfigurationOverrides()
    {
        if (Get("provider") is { } provider)
        {
            yield return new("Database:Provider", provider);
        }
        if (Get("connection") is { } connection)
        {
            yield return new("ConnectionStrings:Claims", connection);
        }
    }
}
