import RoleEditor
import RoleEditorRuntime
import Testing

@Suite struct AppDirectoriesTests {
    @Test func everyPlaceFollowsXDGThenHome() {
        let xdg = AppDirectories(environment: [
            "XDG_STATE_HOME": "/s", "XDG_CACHE_HOME": "/c/", "XDG_CONFIG_HOME": "/k", "HOME": "/h",
        ])
        #expect(xdg == AppDirectories(state: "/s/atlas-roles", cache: "/c/atlas-roles", atlasCLIConfig: "/k/atlascli"))
        let home = AppDirectories(environment: ["HOME": "/h"])
        #expect(
            home
                == AppDirectories(
                    state: "/h/.local/state/atlas-roles", cache: "/h/.cache/atlas-roles",
                    atlasCLIConfig: "/h/.config/atlascli"))
    }

    @Test func relativeVariablesAreIgnoredAndNoBaseMeansNoPlace() {
        let relative = AppDirectories(environment: ["XDG_STATE_HOME": "rel", "HOME": "/h"])
        #expect(relative.state == "/h/.local/state/atlas-roles")
        #expect(
            AppDirectories(environment: ["HOME": "relative"])
                == AppDirectories(state: nil, cache: nil, atlasCLIConfig: nil))
        #expect(throws: PersistenceError.self) { try EditorRuntime(directories: AppDirectories(environment: [:])) }
    }

    @Test func theDemoKeepsItsStateApart() {
        let demo = AppDirectories(environment: ["HOME": "/h"]).withStateSubdirectory("demo")
        #expect(demo.state == "/h/.local/state/atlas-roles/demo")
        #expect(demo.cache == "/h/.cache/atlas-roles")
    }
}
