using ClaimsOffice.Portal.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddPortalUi(builder.Configuration);

var app = builder.Build();
app.MapPortalUi();
app.MapGet("/health", () => "ok");
await app.RunAsync();
