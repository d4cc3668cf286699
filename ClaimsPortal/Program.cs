using ClaimsOffice.Portal.Api;
using ClaimsOffice.Portal.Features.Staff.Identity;
using ClaimsOffice.Portal.Features.Victim;
using ClaimsOffice.Portal.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddClaimsPortal();
builder.Services.AddPortalUi(builder.Configuration);
builder.Services.AddStaffIdentity(builder.Configuration);

var app = builder.Build();
app.MapPortalUi();
app.MapVictimEndpoints();
app.UseStaffIdentity();
app.MapHealth();
app.MapJobsDashboard();
await app.RunAsync();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
