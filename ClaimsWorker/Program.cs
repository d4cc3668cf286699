using ClaimsOffice.Worker.Cli;

// ClaimsWorker: `run` (default) hosts the worker (a Hangfire server); `migrate`, `seed` and `bench` are one-shot commands.
try
{
    var commandLine = new CommandLine(args);
    return await WorkerCommands.RunAsync(commandLine, args);
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync($"error: {ex.Message}");
    await Console.Error.WriteLineAsync(WorkerCommands.Usage);
    return 2;
}
catch (Exception ex) when (ex is ClaimsOffice.Database.Migrations.MigrationException or ClaimsOffice.Database.DatabaseUnavailableException)
{
    // An operator's problem with a message written for them: no stack trace.
    await Console.Error.WriteLineAsync($"error: {ex.Message}");
    return 1;
}
