package io.github.alru.sample;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.stereotype.Component;

/** With {@code --sample.quickstart=true}: tells the quick-start story once the server is up, then exits. */
@Component
@ConditionalOnBooleanProperty("sample.quickstart")
class QuickStartRunner implements ApplicationRunner {

    private final QuickStart quickStart;
    private final ConfigurableApplicationContext context;

    QuickStartRunner(QuickStart quickStart, ConfigurableApplicationContext context) {
        this.quickStart = quickStart;
        this.context = context;
    }

    @Override
    public void run(ApplicationArguments args) throws InterruptedException {
        quickStart.tell(System.out);
        System.exit(SpringApplication.exit(context));
    }
}
