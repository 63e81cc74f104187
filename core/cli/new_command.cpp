#include "core/cli/new_command.hpp"

#include <iostream>
#include <memory>

#include "core/cli/exit_codes.hpp"
#include "core/scaffold/trainable_scaffold.hpp"

namespace tune::cli {

namespace {

struct NewOptions {
    std::string name;
    std::string id;
    std::string dir;
};

int run_new_trainable(const NewOptions &options) {
    scaffold::TrainableProject project;
    project.name = options.name;
    project.plugin_id = options.id.empty() ? "org.example." + options.name : options.id;
    project.dir = options.dir.empty() ? options.name : options.dir;
    try {
        auto files = scaffold::write_trainable_project(project);
        std::cout << "Created the trainable plugin project " << project.plugin_id << ":\n";
        for (const auto &file : files) std::cout << "  " << file.string() << "\n";
        std::cout << "Next: cmake -S " << project.dir.string() << " -B " << (project.dir / "build").string()
                  << " -DCMAKE_PREFIX_PATH=<tune install prefix>, build it, then tune check-plugin "
                  << (project.dir / "build" / (project.name + ".so")).string() << "\n";
        return kExitSuccess;
    } catch (const scaffold::ScaffoldError &e) {
        std::cerr << "tune: error: new trainable: " << e.what() << "\n";
        return kExitUsage;
    }
}

} // namespace

void add_new_command(CLI::App &app, int *exit_code) {
    auto *cmd = app.add_subcommand("new", "Create a new plugin project from a template");
    cmd->require_subcommand(1);
    auto options = std::make_shared<NewOptions>();
    auto *trainable = cmd->add_subcommand("trainable", "A C++ trainable plugin project: source, CMakeLists.txt, "
                                                       "experiment file, README");
    trainable->add_option("NAME", options->name, "The plugin's name, a C identifier (my_model)")->required();
    trainable->add_option("--id", options->id, "The plugin id (default org.example.NAME)")->type_name("ID");
    trainable->add_option("--dir", options->dir, "The folder to create (default ./NAME)")->type_name("DIR");
    trainable->callback([options, exit_code] { *exit_code = run_new_trainable(*options); });
}

} // namespace tune::cli
