using ClaimsOffice.Portal.Api;
using ClaimsOffice.Portal.Features.Victim;
using ClaimsOffice.Portal.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddClaimsPortal();
builder.Services.AddPortalUi(builder.Configuration);

var app = builder.Build();
app.MapPortalUi();
app.MapVictimEndpoints();
app.MapHealth();
app.MapJobsDashboard();
await app.RunAsync();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
